/* names.c - the name tables of names.h. */
#include "names.h"

#include <stddef.h>
#include <string.h>

/* Funding sources of a policy's split (docs/policy.md). */
static const struct {
    const char *code;
    const char *zh;      /* short label */
    const char *zh_long; /* where there is room */
} sources[] = {
    {"province", "省级", "省级"}, {"city", "市级", "市级"},          {"district", "区级", "区级"},
    {"town", "街道", "街道/乡镇"}, {"village", "社区", "社区"}, {"operator", "运营方", "运营方"},
};

/* Meal periods of every shipped policy ("" = outside every window). */
static const struct {
    const char *id, *zh;
} periods[] = {
    {"", "非供餐时间"}, {"breakfast", "早餐"}, {"lunch", "午餐"}, {"dinner", "晚餐"},
};

const char *zc_source_name(const char *code, zc_source_form form)
{
    for (size_t i = 0; code && i < sizeof sources / sizeof sources[0]; i++)
        if (strcmp(sources[i].code, code) == 0)
            return form == ZC_SOURCE_LONG ? sources[i].zh_long : sources[i].zh;
    return NULL;
}

const char *zc_period_name(const char *id)
{
    for (size_t i = 0; id && i < sizeof periods / sizeof periods[0]; i++)
        if (strcmp(periods[i].id, id) == 0)
            return periods[i].zh;
    return NULL;
}
