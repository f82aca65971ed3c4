"""Code tables printed on the card: gender (GB/T 2261.1) and nation (GB 3304)."""

from __future__ import annotations

GENDERS: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

_NATIONS = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
    "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)

NATIONS: dict[str, str] = {f"{i:02d}": name for i, name in enumerate(_NATIONS, start=1)}
NATIONS["97"] = "其他"
NATIONS["98"] = "外国血统中国籍人士"


def gender_name(code: str) -> str:
    return GENDERS.get(code.strip(), "")


def nation_name(code: str) -> str:
    return NATIONS.get(code.strip(), "")


def gender_code(name_or_code: str) -> str:
    """Accepts a code or a name ("女", "F", "female"): used by the simulator's cards file."""
    value = name_or_code.strip()
    if value in GENDERS:
        return value
    aliases = {"男": "1", "女": "2", "m": "1", "male": "1", "f": "2", "female": "2"}
    return aliases.get(value.lower(), "0")


def nation_code(name_or_code: str) -> str:
    value = name_or_code.strip()
    if value in NATIONS:
        return value
    for code, name in NATIONS.items():
        if value in (name, name + "族"):
            return code
    return "  "
