/* The sandbox's console: Swagger UI over /<api>/openapi.json; "Try it out" calls this sandbox with the
   access token pasted above (sent as `Authorization: Bearer ...`). No CDN: Swagger UI is served locally. */
(function () {
  "use strict";
  window.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("swagger-ui");
    var tokenInput = document.getElementById("access-token");
    var documentUrl = holder.getAttribute("data-openapi");
    window.ui = window.SwaggerUIBundle({
      url: documentUrl,
      dom_id: "#swagger-ui",
      deepLinking: true,
      tryItOutEnabled: true,
      displayOperationId: true,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      requestInterceptor: function (request) {
        var token = tokenInput.value.trim();
        var isDocument = request.url.indexOf(documentUrl) >= 0;
        if (token && !isDocument && !request.headers.Authorization) {
          request.headers.Authorization = "Bearer " + token;
        }
        return request;
      }
    });
  });
})();
