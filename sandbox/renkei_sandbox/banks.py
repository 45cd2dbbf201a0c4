"""The 13 labour banks and the federation (統一金融機関コード, standards.md §10.2), with demo branches."""

from __future__ import annotations

from typing import NamedTuple


class BankInfo(NamedTuple):
    code: str
    name: str
    name_kana: str
    region: str
    """Kanji region name used for branch names."""


FEDERATION = BankInfo("2950", "労働金庫連合会", "ﾛｳｷﾝﾚﾝ", "本部")

LABOUR_BANKS: tuple[BankInfo, ...] = (
    BankInfo("2951", "北海道労働金庫", "ﾎﾂｶｲﾄﾞｳﾛｳｷﾝ", "札幌"),
    BankInfo("2954", "東北労働金庫", "ﾄｳﾎｸﾛｳｷﾝ", "仙台"),
    BankInfo("2963", "中央労働金庫", "ﾁﾕｳｵｳﾛｳｷﾝ", "東京"),
    BankInfo("2965", "新潟県労働金庫", "ﾆｲｶﾞﾀｹﾝﾛｳｷﾝ", "新潟"),
    BankInfo("2966", "長野県労働金庫", "ﾅｶﾞﾉｹﾝﾛｳｷﾝ", "長野"),
    BankInfo("2968", "静岡県労働金庫", "ｼｽﾞｵｶｹﾝﾛｳｷﾝ", "静岡"),
    BankInfo("2970", "北陸労働金庫", "ﾎｸﾘｸﾛｳｷﾝ", "金沢"),
    BankInfo("2972", "東海労働金庫", "ﾄｳｶｲﾛｳｷﾝ", "名古屋"),
    BankInfo("2978", "近畿労働金庫", "ｷﾝｷﾛｳｷﾝ", "大阪"),
    BankInfo("2984", "中国労働金庫", "ﾁﾕｳｺﾞｸﾛｳｷﾝ", "広島"),
    BankInfo("2987", "四国労働金庫", "ｼｺｸﾛｳｷﾝ", "高松"),
    BankInfo("2990", "九州労働金庫", "ｷﾕｳｼﾕｳﾛｳｷﾝ", "福岡"),
    BankInfo("2997", "沖縄県労働金庫", "ｵｷﾅﾜｹﾝﾛｳｷﾝ", "那覇"),
)

DEMO_FIRST_BANK = "2963"
"""demo01 banks at 中央労働金庫; the others follow round-robin over LABOUR_BANKS."""

BRANCHES: tuple[tuple[str, str, str], ...] = (
    ("101", "{region}支店", "ｼﾃﾝ"),
    ("201", "{region}中央支店", "ﾁﾕｳｵｳｼﾃﾝ"),
    ("301", "{region}駅前支店", "ｴｷﾏｴｼﾃﾝ"),
)
"""(branch code, name template, kana suffix): **fictitious** demo branches. The codes exist at real labour
banks with other names (中央労働金庫 301 is 日本橋; its 本店営業部 is 281): never use them for real transfers.
The bank codes and kanji names above are the real ones (zengin-code); the federation's registered kana is
ﾛｳｷﾝﾚﾝ."""


def bank_rotation() -> list[BankInfo]:
    """The banks in the order demo customers are assigned to them, starting with DEMO_FIRST_BANK."""
    start = next(i for i, bank in enumerate(LABOUR_BANKS) if bank.code == DEMO_FIRST_BANK)
    return list(LABOUR_BANKS[start:] + LABOUR_BANKS[:start])
