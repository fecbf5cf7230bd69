/* kiosk.c - the kiosk state machine's entry points: events in, sounds out.
 *
 * The screens are a table (K_SCREENS in kiosk_int.h): one row per screen,
 * defined at the end of the screen's own file, with its name, flags and
 * handlers.  Every event goes to the current screen's row and kiosk_draw
 * draws it; nothing here knows a particular screen.  A new screen goes in
 * its own file kiosk_<screen>.c plus one line in K_SCREENS (see
 * kiosk_int.h).  Screens change state only through these handlers, so a
 * test that replays events sees exactly what a cashier would. */
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

#define K_SCREEN_PTR(e, row) [e] = &row,
static const k_screen_def *const screens[K_SCREEN_COUNT] = {K_SCREENS(K_SCREEN_PTR)};
#undef K_SCREEN_PTR

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
    k_open(k, K_RECOVER);
    *out = k;
    return ZC_OK;
}

int kiosk_create(till_t *t, const kiosk_opts *o, kiosk_t **out, zc_err *err)
{
    kiosk_t *k = NULL;
    int rc = kiosk_base(t, o, &k, err);
    if (rc)
        return rc;
    k_open(k, K_LOGIN);
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
    k_clock_period(k, k->status.period, sizeof k->status.period);
    k->status.at_ms = k->now_ms;
    k->status.valid = true;
}

void k_goto(kiosk_t *k, k_screen s)
{
    k->scr = s;
    k->entry[0] = '\0';
}

void k_open(kiosk_t *k, k_screen s)
{
    k_goto(k, s);
    if (screens[s]->enter)
        screens[s]->enter(k);
}

const k_screen_def *k_screen_row(const kiosk_t *k) { return screens[k->scr]; }

const char *k_id_arg(const char *id, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(id, prefix, n) == 0 ? id + n : NULL;
}

void k_message(kiosk_t *k, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->msg, sizeof k->msg, fmt, ap);
    va_end(ap);
    k->msg_error = error;
}

char *k_err_text(kiosk_t *k, int rc, const zc_err *err, const char *lead, char *buf, size_t n)
{
    static const struct {
        int rc;
        const char *zh;
    } words[] = {
        {ZC_EINVAL, "数据格式不对"},
        {ZC_ENOMEM, "内存不足，请重启收银机"},
        {ZC_EIO, "读写出错（磁盘或设备），请联系维护人员"},
        {ZC_ETOOBIG, "内容太长"},
        {ZC_ENOTFOUND, "没有找到"},
        {ZC_EREFUSED, "规则不允许"},
        {ZC_EDB, "数据库出错，请联系维护人员"},
        {ZC_EFULL, "磁盘已满，请联系维护人员清理空间"},
        {ZC_ECONFLICT, "数据冲突，请联系维护人员"},
        {ZC_ELOCKED, "数据库正忙，请稍后重试"},
    };
    const char *what = TR(k, "出错了，请联系维护人员");
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (words[i].rc == rc)
            what = TR(k, words[i].zh);
    if (err && err->msg[0])
        fprintf(stderr, "zhucan: %s\n", err->msg);
    if (k->lang[0] == 'e' && err && err->msg[0])
        what = err->msg; /* the store's own words are English */
    snprintf(buf, n, "%s%s%s", lead ? TR(k, lead) : "", lead ? " " : "", what);
    return buf;
}

void k_error(kiosk_t *k, int rc, const zc_err *err, const char *lead)
{
    char buf[sizeof k->msg];
    k_message(k, true, "%s", k_err_text(k, rc, err, lead, buf, sizeof buf));
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

void k_entry_text(kiosk_t *k, const char *text, bool allow_dot)
{
    for (const char *p = text; *p; p++) {
        char key[2] = {*p, 0};
        k_entry_key(k, *p == '.' ? "dot" : key, allow_dot);
    }
}

void k_field_key(char *buf, size_t n, const char *key)
{
    size_t len = strlen(buf);
    if (strcmp(key, "back") == 0) {
        if (len)
            buf[len - 1] = '\0';
    } else if (strcmp(key, "clear") == 0) {
        buf[0] = '\0';
    } else if (len + 1 < n) {
        snprintf(buf + len, n - len, "%s", key);
    }
}

void k_field_backspace(char *buf)
{
    size_t n = strlen(buf);
    if (!n)
        return;
    while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80) /* continuation bytes */
        n--;
    buf[n ? n - 1 : 0] = '\0';
}

void kiosk_handle(kiosk_t *k, const kiosk_ev *ev)
{
    const k_screen_def *s = screens[k->scr];
    bool till = !(s->flags & K_SCR_NO_TILL);
    if (ev->now_ms)
        k->now_ms = ev->now_ms;
    switch (ev->kind) {
    case KEV_TAP: /* a tap on nothing the screen knows is ignored */
        if (s->tap)
            s->tap(k, ev->id);
        break;
    case KEV_KEY:
        if (s->key)
            s->key(k, ev->key);
        break;
    case KEV_TEXT:
        if (s->text)
            s->text(k, ev->text);
        break;
    case KEV_CARD:
        if (s->card)
            s->card(k, ev->text);
        else if (till)
            k_message(k, true, "%s", TR(k, "请先回到点餐页面再刷卡"));
        break;
    case KEV_TICK:
        k->shown_min = k->clock() / 60;
        if (till && k->sale.usage_pending)
            k_usage_poll(k);
        if (s->tick)
            s->tick(k);
        break;
    }
    if (till)
        k_status_refresh(k, false);
}

int kiosk_wait_ms(const kiosk_t *k, int64_t now_ms)
{
    /* the status bar's clock and meal period change with the minute: a tick
     * then, even when nobody touches the screen */
    int64_t epoch = k->clock();
    if (epoch / 60 != k->shown_min)
        return 0;
    int64_t ms = 60000 - (epoch % 60) * 1000;
    int64_t due = screens[k->scr]->due_ms ? screens[k->scr]->due_ms(k) : 0;
    if (k->sync && !(screens[k->scr]->flags & K_SCR_NO_TILL)) {
        /* the status bar follows the sync worker's online/offline */
        int64_t left = k->status.at_ms + K_STATUS_MS - now_ms;
        if (left < ms)
            ms = left < 0 ? 0 : left;
    }
    if (k->sale.usage_pending && ms > 50)
        ms = 50; /* waiting for the centre's answer */
    if (due) {
        int64_t left = due - now_ms;
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
    return k->scr < K_SCREEN_COUNT ? screens[k->scr]->name : "?";
}

void kiosk_draw(kiosk_t *k, ui_draw *d, int w, int h)
{
    k_view v = {.d = d, .w = w, .h = h};
    double sx = w / 1920.0, sy = h / 1080.0;
    v.s = sx < sy ? sx : sy;
    ui_draw_begin(d, w, h);
    ui_rect_fill(d, (ui_rect){0, 0, w, h}, K_BG);
    if (!(screens[k->scr]->flags & K_SCR_NO_TILL))
        k_draw_status(k, &v);
    screens[k->scr]->draw(k, &v);
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
    for (int i = 0; i < k->sale.cart.n; i++) {
        fprintf(f, "%s{\"code\":", i ? "," : "");
        jstr(f, k->sale.cart.lines[i].code);
        fprintf(f, ",\"qty\":%d,\"unit_fen\":%lld}", k->sale.cart.lines[i].qty,
                (long long)k->sale.cart.lines[i].unit_fen);
    }
    fprintf(f, "],\"elder\":");
    jstr(f, k->sale.have_elder ? k->sale.ident.elder.id : "");
    fprintf(f, ",\"refusal\":");
    jstr(f, k->sale.refusal ? till_status_code(k->sale.refusal_status) : "");
    if (k->sale.quote_ok)
        fprintf(f, ",\"gross_fen\":%lld,\"subsidy_fen\":%lld,\"pay_fen\":%lld,\"period\":\"%s\"",
                (long long)k->sale.quote.gross, (long long)k->sale.quote.subsidy, (long long)k->sale.quote.pay,
                k->sale.quote.period);
    fprintf(f, ",\"last_sale\":");
    jstr(f, k->done.sale.id);
    fprintf(f, "}\n");
}
