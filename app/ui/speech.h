/* speech.h - what the till says aloud, as a sequence of clip names.
 *
 * The elder hears short pre-recorded clips played back to back: "请付" "十"
 * "二" "元" "五" "角".  This module only chooses the names (entries of
 * assets/sounds.txt; assets/make-sounds.sh renders them to
 * <sounds dir>/<lang>/<name>.wav); playing them is the SDL host's job.
 * Pure C, no state, no allocation: every function fills a caller array of
 * at most max static string pointers and returns how many it wrote, or a
 * negative ZC_E* code (ZC_ETOOBIG when max is too small, ZC_EINVAL for a
 * negative amount or one above ZC_FEN_MAX).  SPEECH_MAX_CLIPS always suffices. */
#ifndef ZC_UI_SPEECH_H
#define ZC_UI_SPEECH_H

#include "../core/money.h"

#define SPEECH_MAX_CLIPS 64 /* enough for any call below */

typedef enum speech_lang {
    SPEECH_ZH = 0, /* Mandarin: 十二元五角 */
    SPEECH_EN,     /* English: twelve yuan five jiao */
} speech_lang;

/* "en", "en_US" ... -> SPEECH_EN; anything else (NULL, "zh_CN") -> SPEECH_ZH. */
speech_lang speech_lang_from(const char *lang);

/* An amount the way people say it.  Mandarin: 800 -> 八 元, 1205 -> 十 二 元
 * 零 五 分, 10500 -> 一 百 零 五 元, 10 -> 一 角, 0 -> 零 元 (二, not 两).
 * English: 1250 -> twelve yuan five jiao, 105 -> one yuan five fen. */
int speech_amount(speech_lang l, zc_fen fen, const char **clips, int max) ZC_MUST;

/* "请付" + amount; a zero amount is "本餐免费" alone. */
int speech_pay(speech_lang l, zc_fen fen, const char **clips, int max) ZC_MUST;
/* "本餐补贴" + amount; a zero amount is "本餐无补贴". */
int speech_subsidy(speech_lang l, zc_fen fen, const char **clips, int max) ZC_MUST;
/* "找零" + amount (nothing for zero change). */
int speech_change(speech_lang l, zc_fen fen, const char **clips, int max) ZC_MUST;

/* The one clip for a refusal or status code: till_status_code() values
 * ("card_lost", "elder_suspended" ...) and zc_reason_code() values
 * ("limit_week", "outside_period" ...).  Unknown codes say "请咨询工作人员"
 * rather than nothing; "ok" is "刷卡成功". Static string, never NULL. */
const char *speech_code_clip(const char *code);

/* After a card is accepted and quoted: "刷卡成功", then the subsidy (or why
 * there is none: why_code is the first refusal's reason code, or NULL),
 * then what to pay.  E.g. 刷卡成功 本餐补贴 三 元 请付 九 元. */
int speech_quote(speech_lang l, zc_fen subsidy, const char *why_code, zc_fen pay,
                 const char **clips, int max) ZC_MUST;
/* After payment: "支付成功", change if any, "谢谢，请慢用". */
int speech_paid(speech_lang l, zc_fen change, const char **clips, int max) ZC_MUST;

/* Every clip name this module can return, NULL-terminated (for tests and
 * for the host to preload).  Static. */
const char *const *speech_all_clips(void);

#endif
