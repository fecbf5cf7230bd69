/* kiosk.c - the kiosk state machine's entry points: events in, sounds out.
 *
 * Every event goes to the handler of the current screen (kiosk_sell.c for
 * selling and paying, kiosk_admin.c for the rest).  Screens change state
 * only through these handlers, so a test that replays events sees exactly
 * what a cashier would. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../store/sale_load.h"
#include "kiosk_int.h"
#include "speech.h"

static const char *const screen_names[K_SCREEN_COUNT] = {
    [K_LOGIN] = "login",         [K_PIN] = "pin",         [K_SHIFT_OPEN] = "shift_open",
    [K_SELL] = "sell",           [K_PAY_CASH] = "pay_cash", [K_PAY_MOBILE] = "pay_mobile",
    [K_DONE] = "done",           [K_RECENT] = "recent",   [K_VOID_REASON] = "void_reason",
    [K_LOOKUP] = "lookup",       [K_SHIFT_CLOSE] = "shift_close", [K_ZREPORT] = "zreport",
    [K_SETTINGS] = "settings",   [K_REPORT] = "report",   [K_EXPORT] = "export",
    [K_RECOVER] = "recover",
};

static int64_t wall_clock(void) { return zc_now(); }

/* Where the translation catalogues are: $ZHUCAN_I18N, ./assets/i18n (a
 * source tree), or <exe dir>/../share/zhucan/i18n (make install). */
static void i18n_dir(char *out, size_t n)
{
    const char *env = getenv("ZHUCAN_I18N");
    char exe[4096];
    struct stat sb;
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return;
    }
    snprintf(out, n, "assets/i18n");
    if (stat(out, &sb) == 0)
        return;
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    if (snprintf(out, n, "%s/../share/zhucan/i18n", exe) >= (int)n)
        snprintf(out, n, "assets/i18n");
}

/* The parts of a kiosk every screen needs: clock, language, catalogue.
 * *out owned by the caller (kiosk_free). */
static int kiosk_base(till_t *t, const kiosk_opts *o, kiosk_t **out, zc_err *err)
{
    kiosk_t *k = calloc(1, sizeof *k);
    if (!k)
        return zc_errf(err, ZC_ENOMEM, "out of memory starting the kiosk");
    k->t = t;
    k->clock = o && o->clock ? o->clock : wall_clock;
    k->sync = o ? o->sync : NULL;
    snprintf(k->lang, sizeof k->lang, "%s", o && o->lang ? o->lang : "zh_CN");
    i18n_dir(k->i18n_dir, sizeof k->i18n_dir);
    int rc = i18n_load(k->i18n_dir, k->lang, &k->i18n, err);
    if (rc)
        kiosk_free(k);
    else
        *out = k;
    return rc;
}

int kiosk_create_recover(const char *db, const kiosk_opts *o, kiosk_t **out, zc_err *err)
{
    kiosk_t *k = NULL;
    int rc = kiosk_base(NULL, o, &k, err);
    if (rc)
        return rc;
    snprintf(k->rec.db, sizeof k->rec.db, "%s", db);
    k_recover_start(k);
    *out = k;
    return ZC_OK;
}

int kiosk_create(till_t *t, const kiosk_opts *o, kiosk_t **out, zc_err *err)
{
    kiosk_t *k = NULL;
    int rc = kiosk_base(t, o, &k, err);
    if (rc)
        return rc;
    k_admin_start(k);
    k_status_refresh(k, true);
    *out = k;
    return ZC_OK;
}

void kiosk_free(kiosk_t *k)
{
    if (!k)
        return;
    if (k->rec.owns_till)
        till_close(k->t);
    i18n_free(k->i18n);
    free(k);
}

void k_status_refresh(kiosk_t *k, bool force)
{
    char buf[8];
    store_t *st = till_store(k->t);
    if (!force && k->status.valid && k->now_ms - k->status.at_ms < 1000)
        return;
    if (store_unsent_count(st, &k->status.unsent) != ZC_OK)
        k->status.unsent = -1;
    if (store_meta_get(st, "last_sync", k->status.last, sizeof k->status.last) != ZC_OK)
        k->status.last[0] = '\0';
    k->status.online = store_meta_get(st, "online", buf, sizeof buf) == ZC_OK && strcmp(buf, "1") == 0;
    int64_t last = 0;
    k->status.behind_s = store_sale_last_utc(st, &last) == ZC_OK && last ? last - k->clock() : 0;
    k->status.at_ms = k->now_ms;
    k->status.valid = true;
}

void k_goto(kiosk_t *k, k_screen s)
{
    k->scr = s;
    k->entry[0] = '\0';
}

void k_message(kiosk_t *k, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->msg, sizeof k->msg, fmt, ap);
    va_end(ap);
    k->msg_error = error;
}

void k_say(kiosk_t *k, const char *clip)
{
    if (k->snd_len == K_MAX_SOUNDS) /* drop the oldest: stale speech is worse than none */
        k->snd_head = (k->snd_head + 1) % K_MAX_SOUNDS, k->snd_len--;
    int i = (k->snd_head + k->snd_len++) % K_MAX_SOUNDS;
    snprintf(k->sounds[i], sizeof k->sounds[i], "%s", clip);
}

void k_say_amount(kiosk_t *k, const char *lead, zc_fen fen)
{
    const char *clips[SPEECH_MAX_CLIPS];
    speech_lang l = speech_lang_from(k->lang);
    int n = strcmp(lead, "pay") == 0       ? speech_pay(l, fen, clips, SPEECH_MAX_CLIPS)
            : strcmp(lead, "subsidy") == 0 ? speech_subsidy(l, fen, clips, SPEECH_MAX_CLIPS)
                                           : speech_change(l, fen, clips, SPEECH_MAX_CLIPS);
    for (int i = 0; i < n; i++)
        k_say(k, clips[i]);
}

bool kiosk_next_sound(kiosk_t *k, char *name, int n)
{
    if (!k->snd_len)
        return false;
    snprintf(name, (size_t)n, "%s", k->sounds[k->snd_head]);
    k->snd_head = (k->snd_head + 1) % K_MAX_SOUNDS;
    k->snd_len--;
    return true;
}

int64_t k_epoch_now(const kiosk_t *k) { return k->clock(); }
zc_datetime k_local_now(const kiosk_t *k) { return zc_tz_local(k->clock()); }

bool k_entry_fen(const kiosk_t *k, zc_fen *out)
{
    return k->entry[0] && zc_fen_parse(k->entry, out) == ZC_OK;
}

void k_entry_key(kiosk_t *k, const char *key, bool allow_dot)
{
    size_t n = strlen(k->entry);
    if (strcmp(key, "back") == 0) {
        if (n)
            k->entry[n - 1] = '\0';
    } else if (strcmp(key, "clear") == 0) {
        k->entry[0] = '\0';
    } else if (strcmp(key, "dot") == 0) {
        if (allow_dot && !strchr(k->entry, '.') && n + 1 < sizeof k->entry)
            snprintf(k->entry + n, sizeof k->entry - n, "%s", n ? "." : "0.");
    } else if (key[0] >= '0' && key[0] <= '9' && !key[1]) {
        const char *dot = strchr(k->entry, '.');
        if (dot && strlen(dot) > 2) /* two decimals at most */
            return;
        if (n + 1 < sizeof k->entry && n < 9)
            snprintf(k->entry + n, sizeof k->entry - n, "%c", key[0]);
    }
}

void kiosk_handle(kiosk_t *k, const kiosk_ev *ev)
{
    if (ev->now_ms)
        k->now_ms = ev->now_ms;
    if (k->scr == K_RECOVER) {
        k_recover_event(k, ev);
        return;
    }
    bool selling = k->scr == K_SELL || k->scr == K_PAY_CASH || k->scr == K_PAY_MOBILE || k->scr == K_DONE;
    switch (ev->kind) {
    case KEV_TAP: /* a tap on nothing the screen knows is ignored */
        if (selling)
            k_sell_tap(k, ev->id);
        else
            k_admin_tap(k, ev->id);
        break;
    case KEV_KEY:
        if (selling)
            k_sell_key(k, ev->key);
        else
            k_admin_key(k, ev->key);
        break;
    case KEV_TEXT:
        if (selling)
            k_sell_text(k, ev->text);
        else
            k_admin_text(k, ev->text);
        break;
    case KEV_CARD:
        if (k->scr == K_SELL || k->scr == K_DONE)
            k_sell_card(k, ev->text);
        else if (k->scr == K_PAY_MOBILE) {
            /* a scanner typed the payment reference and Enter: take it and confirm */
            k->text[0] = '\0';
            k_sell_text(k, ev->text);
            k_sell_key(k, KKEY_ENTER);
        }
        else
            k_message(k, true, "%s", TR(k, "请先回到点餐页面再刷卡"));
        break;
    case KEV_TICK:
        if (k->usage_pending)
            k_usage_poll(k);
        if (k->scr == K_DONE && k->done_until_ms && k->now_ms >= k->done_until_ms)
            k_sell_enter(k);
        break;
    }
    k_status_refresh(k, false);
}

int kiosk_wait_ms(const kiosk_t *k, int64_t now_ms)
{
    /* the status bar clock changes every minute */
    int64_t ms = 60000 - (k->clock() % 60) * 1000;
    if (k->sync && ms > 5000)
        ms = 5000; /* the status bar follows the sync worker's online/offline */
    if (k->usage_pending && ms > 50)
        ms = 50; /* waiting for the centre's answer */
    if (k->scr == K_DONE && k->done_until_ms) {
        int64_t left = k->done_until_ms - now_ms;
        if (left < ms)
            ms = left < 0 ? 0 : left;
    }
    return (int)ms;
}

bool kiosk_quit_requested(const kiosk_t *k) { return k->quit; }

till_t *kiosk_restored_till(const kiosk_t *k) { return k->rec.owns_till && !k->sync ? k->t : NULL; }

void kiosk_set_sync(kiosk_t *k, sync_t *s) { k->sync = s; }

const char *kiosk_screen_name(const kiosk_t *k)
{
    return k->scr < K_SCREEN_COUNT ? screen_names[k->scr] : "?";
}

void kiosk_draw(kiosk_t *k, ui_draw *d, int w, int h)
{
    k_view v = {.d = d, .w = w, .h = h};
    double sx = w / 1920.0, sy = h / 1080.0;
    v.s = sx < sy ? sx : sy;
    ui_draw_begin(d, w, h);
    ui_rect_fill(d, (ui_rect){0, 0, w, h}, K_BG);
    if (k->scr == K_SELL || k->scr == K_PAY_CASH || k->scr == K_PAY_MOBILE || k->scr == K_DONE)
        k_sell_draw(k, &v);
    else if (k->scr == K_RECOVER)
        k_recover_draw(k, &v);
    else
        k_admin_draw(k, &v);
}

/* JSON string escaping for the dump (bounded by the fields' own sizes). */
static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

void kiosk_dump(const kiosk_t *k, FILE *f)
{
    fprintf(f, "{\"screen\":");
    jstr(f, kiosk_screen_name(k));
    fprintf(f, ",\"operator\":");
    jstr(f, k->logged_in ? k->op.id : "");
    fprintf(f, ",\"message\":");
    jstr(f, k->msg);
    fprintf(f, ",\"cart\":[");
    for (int i = 0; i < k->cart.n; i++) {
        fprintf(f, "%s{\"code\":", i ? "," : "");
        jstr(f, k->cart.lines[i].code);
        fprintf(f, ",\"qty\":%d,\"unit_fen\":%lld}", k->cart.lines[i].qty, (long long)k->cart.lines[i].unit_fen);
    }
    fprintf(f, "],\"elder\":");
    jstr(f, k->have_elder ? k->ident.elder.id : "");
    fprintf(f, ",\"refusal\":");
    jstr(f, k->refusal ? till_status_code(k->refusal_status) : "");
    if (k->quote_ok)
        fprintf(f, ",\"gross_fen\":%lld,\"subsidy_fen\":%lld,\"pay_fen\":%lld,\"period\":\"%s\"",
                (long long)k->quote.gross, (long long)k->quote.subsidy, (long long)k->quote.pay, k->quote.period);
    fprintf(f, ",\"last_sale\":");
    jstr(f, k->done.id);
    fprintf(f, "}\n");
}
