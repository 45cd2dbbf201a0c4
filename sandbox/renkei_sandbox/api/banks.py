"""The bank directory as the spec's Bank / BankList models (GET /banks, GET /banks/{bankCode})."""

from __future__ import annotations

from pydantic import MISSING

from renkei_bank_inquiry import models
from renkei_runtime.server import ApiProblem
from renkei_sandbox import bank_directory
from renkei_sandbox.bank_directory import DirectoryEntry
from renkei_sandbox.clock import now_jst


def bank_model(entry: DirectoryEntry) -> models.Bank:
    return models.Bank(
        bank_code=entry.bank.code,
        bank_name=entry.bank.name,
        bank_name_kana=entry.bank.name_kana,
        apis=[
            models.ApiOffering(
                api=models.ApiName(o.api),
                status=models.ApiOfferingStatus.OFFERED if o.offered else models.ApiOfferingStatus.PLANNED,
                available_from=o.available_from or MISSING,
            )
            for o in entry.offerings
        ],
        account_kinds=[
            models.AccountKind(
                account_category=models.AccountCategory(k.category),
                account_type_code=k.type_code,
                account_type_name=k.type_name,
                deposit_type=k.deposit_type or MISSING,
            )
            for k in entry.account_kinds
        ],
        maintenance_windows=[
            models.MaintenanceWindow(
                recurrence=models.MaintenanceRecurrence(w.recurrence),
                day_of_week=w.day_of_week if w.day_of_week is not None else MISSING,
                start_time=w.start_time or MISSING,
                end_time=w.end_time or MISSING,
                description=w.description,
            )
            for w in entry.windows
        ],
        business_days=models.BusinessDayRules(
            closed_on_weekends=True,
            closed_on_national_holidays=True,
            closed_dates=list(bank_directory.CLOSED_DATES),
            same_day_cut_off_time=bank_directory.SAME_DAY_CUT_OFF,
            max_days_ahead=bank_directory.MAX_DAYS_AHEAD,
            non_business_day_transfers=False,
        ),
    )


def bank_list() -> models.BankList:
    banks = [bank_model(entry) for entry in bank_directory.DIRECTORY]
    return models.BankList(banks=banks, count=len(banks), as_of=now_jst())


def one_bank(bank_code: str) -> models.Bank:
    entry = bank_directory.find(bank_code)
    if entry is None:
        raise ApiProblem(
            404, "not_found", "指定された金融機関はこのプラットフォームのサービス対象ではありません。"
        )
    return bank_model(entry)


def require_offered(bank_code: str, api: str) -> None:
    """403 api_not_offered for an operation of an API the bank has only `planned`."""
    if not bank_directory.offers(bank_code, api):
        raise ApiProblem(403, "api_not_offered", "この金融機関はこの API をまだ提供していません。")
