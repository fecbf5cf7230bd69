/* subsidy_text.c - names and words for refusal reasons.
 *
 * The codes are stored with sales and sent to the centre, so they never
 * change.  The Chinese words are what the till shows and speaks to an elder
 * and a cashier: short, plain, no jargon. */
#include "subsidy.h"

#include <string.h>

static const struct {
    const char *code, *zh, *en;
} reasons[ZC_R_COUNT] = {
    [ZC_R_NONE] = {"none", "", ""},
    [ZC_R_NO_ELDER] = {"no_elder", "未识别老人，按原价", "no elder identified: full price"},
    [ZC_R_ELDER_INACTIVE] = {"elder_inactive", "补贴资格已停用", "eligibility suspended"},
    [ZC_R_ELDER_NOT_VALID] = {"elder_not_valid", "不在补贴资格有效期内", "outside the eligibility dates"},
    [ZC_R_TOO_YOUNG] = {"too_young", "年龄未到", "too young"},
    [ZC_R_TOO_OLD] = {"too_old", "超出年龄范围", "above the age range"},
    [ZC_R_CATEGORY_MISSING] = {"category_missing", "不属于补贴对象", "not in an eligible group"},
    [ZC_R_CATEGORY_EXCLUDED] = {"category_excluded", "所属类别不享受此项", "group excluded from this benefit"},
    [ZC_R_NOT_REGISTERED] = {"not_registered", "非本地户籍", "not registered here"},
    [ZC_R_NOT_RESIDENT] = {"not_resident", "非本地常住", "not resident here"},
    [ZC_R_DISABILITY] = {"disability", "残疾等级不符", "disability grade does not qualify"},
    [ZC_R_CARE_HOME] = {"care_home", "入住养老机构，不享受此项", "care-home residents excluded"},
    [ZC_R_OUTSIDE_PERIOD] = {"outside_period", "不在用餐时段", "outside meal times"},
    [ZC_R_PERIOD_NOT_COVERED] = {"period_not_covered", "本餐次不补贴", "this meal is not covered"},
    [ZC_R_BELOW_MIN_BILL] = {"below_min_bill", "消费金额未达标准", "bill below the minimum"},
    [ZC_R_NO_ELIGIBLE_ITEMS] = {"no_eligible_items", "没有可补贴的餐品", "no eligible dishes"},
    [ZC_R_LIMIT_PERIOD] = {"limit_period", "本餐已享受过", "already used this meal"},
    [ZC_R_LIMIT_DAY] = {"limit_day", "今日次数已用完", "used up for today"},
    [ZC_R_LIMIT_WEEK] = {"limit_week", "本周次数已用完", "used up for this week"},
    [ZC_R_LIMIT_MONTH] = {"limit_month", "本月次数已用完", "used up for this month"},
    [ZC_R_CAP_DAY] = {"cap_day", "今日补贴额度已用完", "today's amount used up"},
    [ZC_R_CAP_WEEK] = {"cap_week", "本周补贴额度已用完", "this week's amount used up"},
    [ZC_R_CAP_MONTH] = {"cap_month", "本月补贴额度已用完", "this month's amount used up"},
    [ZC_R_OUTRANKED] = {"outranked", "已享受更高优惠", "a better benefit applied"},
    [ZC_R_NOTHING_LEFT] = {"nothing_left", "已无需再补贴", "nothing left to subsidise"},
    [ZC_R_NO_FUNDING] = {"no_funding", "非本辖区就餐，不补贴", "not funded at this canteen"},
    [ZC_R_POLICY_NOT_IN_FORCE] = {"policy_not_in_force", "补贴政策未生效", "policy not in force"},
    [ZC_R_CANTEEN_NOT_COVERED] = {"canteen_not_covered", "本食堂不适用此项", "not at this canteen"},
    [ZC_R_NOT_ISSUING_CANTEEN] = {"not_issuing_canteen", "仅限在发卡食堂使用", "only at the canteen that issued the card"},
    [ZC_R_DAY_NOT_COVERED] = {"day_not_covered", "今天不在补贴日内", "not subsidised on this day"},
    [ZC_R_SERVED_NOT_COVERED] = {"served_not_covered", "此用餐方式不补贴", "not for this way of serving"},
};

const char *zc_reason_code(zc_reason r)
{
    return r >= 0 && r < ZC_R_COUNT && reasons[r].code ? reasons[r].code : "unknown";
}

/* "zh", "zh-CN", "zh_CN" ... give Chinese; anything else English. */
const char *zc_reason_text(zc_reason r, const char *lang)
{
    bool zh = lang && strncmp(lang, "zh", 2) == 0;
    if (r < 0 || r >= ZC_R_COUNT || !reasons[r].code)
        return zh ? "未知原因" : "unknown reason";
    return zh ? reasons[r].zh : reasons[r].en;
}
