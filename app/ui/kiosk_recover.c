/* kiosk_recover.c - the screen a damaged database gets instead of the till.
 *
 * The host checks the database before it opens it (store_health).  When
 * the file is damaged or truncated, selling on it could lose sales, so the
 * till refuses to run and shows this screen: what is wrong, the newest
 * automatic backup that passes its integrity and hash-chain checks, and a
 * supervisor's PIN pad to restore it.  The damaged file's own operator
 * table cannot be trusted (or read), so the PIN is checked against the
 * backup's operators, and wrong PINs are counted here (5 lock the pad for
 * 5 minutes).  The screen also prints the exact `zhucan restore` command
 * for a technician.  After the restore the kiosk opens the restored
 * database itself and goes on to the login screen. */
#include <string.h>

#include "../store/backup.h"
#include "kiosk_int.h"

/* widget ids, with K_ID_OP + a supervisor's id and K_ID_PIN + a key */
#define ID_QUIT "quit"
#define ID_RESTORE "restore"

#define WRONG_MAX 5
#define LOCK_MS (5 * 60 * 1000)

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* k->rec.db set: finds the newest good backup and its supervisors. */
static void recover_enter(kiosk_t *k)
{
    zc_err err = {{0}};
    store_backup_dir(k->rec.db, k->rec.dir, sizeof k->rec.dir);
    if (store_backup_newest(k->rec.db, k->rec.dir, k->rec.backup, sizeof k->rec.backup) != ZC_OK) {
        k->rec.backup[0] = '\0';
        return;
    }
    if (store_backup_check(k->rec.backup, &k->rec.nsales, &err) != ZC_OK ||
        store_backup_supervisors(k->rec.backup, k->rec.sups, K_MAX_OPS, &k->rec.nsups, &err) != ZC_OK)
        k_message(k, true, "%s", err.msg);
}

/* Checks the PIN against the backup, restores it, opens it, logs in. */
static void try_restore(kiosk_t *k)
{
    zc_err err = {{0}};
    char aside[1200];
    till_t *t = NULL;
    if (!k->rec.backup[0])
        return;
    if (k->now_ms < k->rec.locked_until_ms) {
        k->entry[0] = '\0';
        k_message(k, true, "%s", TR(k, "密码错误次数过多，请5分钟后再试"));
        return;
    }
    if (!k->rec.op[0]) {
        k_message(k, true, "%s", TR(k, "请先选择主管"));
        return;
    }
    int rc = store_backup_pin(k->rec.backup, k->rec.op, k->entry, &err);
    k->entry[0] = '\0';
    if (rc == ZC_EREFUSED) {
        if (++k->rec.wrong >= WRONG_MAX) {
            k->rec.wrong = 0;
            k->rec.locked_until_ms = k->now_ms + LOCK_MS;
        }
        k_message(k, true, "%s", TR(k, "密码错误"));
        return;
    }
    if (rc == ZC_OK)
        rc = store_restore(k->rec.db, k->rec.backup, aside, sizeof aside, &err);
    if (rc == ZC_OK)
        rc = till_open(k->rec.db, 0, &t, &err);
    if (rc != ZC_OK) {
        k_message(k, true, "%s", err.msg);
        return;
    }
    /* written into the restored database: who restored what, and where the
     * damaged file was kept */
    if (store_audit(till_store(t), k->rec.op, "restore", k->rec.backup, aside, &err) != ZC_OK)
        fprintf(stderr, "zhucan: warning: the restore was not audited: %s\n", err.msg);
    k->t = t;
    k->rec.owns_till = true;
    k_open(k, K_LOGIN);
    k_status_refresh(k, true);
    k_message(k, false, "%s %s", TR(k, "已从备份恢复，损坏的文件保留为"), base_name(aside));
}

static void recover_tap(kiosk_t *k, const char *id)
{
    const char *arg;
    if (strcmp(id, ID_QUIT) == 0) {
        k->quit = true;
    } else if ((arg = k_id_arg(id, K_ID_OP))) {
        snprintf(k->rec.op, sizeof k->rec.op, "%s", arg);
        k->entry[0] = '\0';
        k->msg[0] = '\0';
    } else if ((arg = k_id_arg(id, K_ID_PIN))) {
        k_entry_key(k, arg, false);
    } else if (strcmp(id, ID_RESTORE) == 0) {
        try_restore(k);
    }
}

static void recover_key(kiosk_t *k, int key)
{
    if (key == KKEY_ENTER)
        try_restore(k);
    else if (key == KKEY_ESCAPE)
        k->entry[0] = '\0';
    else if (key == KKEY_BACKSPACE)
        k_entry_key(k, "back", false);
}

static void recover_text(kiosk_t *k, const char *text) { k_entry_text(k, text, false); }

/* One line of the explanation, left-aligned. */
static void line(const k_view *v, int y, const char *text, int size, ui_color c, bool bold)
{
    int m = kv(v, 60);
    ui_text(v->d, (ui_rect){m, y, v->w / 2 - m, kv(v, size + 18)}, text, kv(v, size), c, UI_LEFT, bold);
}

static void recover_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[2400], dots[40] = "";
    int m = kv(v, 60), lw = v->w / 2, y = kv(v, 190), step = kv(v, 58);
    ui_rect_fill(d, (ui_rect){0, 0, v->w, kv(v, 150)}, K_DANGER);
    ui_text(d, (ui_rect){m, kv(v, 25), v->w - 2 * m, kv(v, 100)}, TR(k, "数据库已损坏，本机暂停收银"), kv(v, 60),
            0xFFFFFF, UI_LEFT, true);
    line(v, y, TR(k, "数据库文件损坏或被截断，在上面继续收银可能丢失交易。"), 34, K_INK, true);
    y += step;
    snprintf(buf, sizeof buf, "%s %s", TR(k, "数据库："), k->rec.db);
    line(v, y, buf, 28, K_MUTED, false);
    y += step + kv(v, 20);
    if (k->rec.backup[0]) {
        snprintf(buf, sizeof buf, "%s %s", TR(k, "最近的完好备份："), base_name(k->rec.backup));
        line(v, y, buf, 34, K_INK, true);
        y += step;
        snprintf(buf, sizeof buf, "%lld %s", (long long)k->rec.nsales, TR(k, "笔交易，已通过完整性和哈希链检查"));
        line(v, y, buf, 30, K_PRIMARY, false);
        y += step;
        line(v, y, TR(k, "备份之后已上传的交易，恢复后联网自动取回，取回前暂停收银。"), 30, K_INK, false);
        y += step;
        line(v, y, TR(k, "损坏的文件会保留，不会删除。"), 30, K_INK, false);
        y += step + kv(v, 20);
        line(v, y, TR(k, "技术人员也可以在终端执行："), 28, K_MUTED, false);
        y += step;
        snprintf(buf, sizeof buf, "zhucan restore --db %s --from %s", k->rec.db, k->rec.backup);
        line(v, y, buf, 24, K_INK, false);
    } else {
        snprintf(buf, sizeof buf, "%s %s", TR(k, "没有找到完好的备份："), k->rec.dir);
        line(v, y, buf, 34, K_DANGER, true);
        y += step;
        line(v, y, TR(k, "请联系技术支持，不要删除数据库文件。"), 30, K_INK, false);
    }
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 340), lw - 2 * m, kv(v, 72)});
    ui_button(d, ID_QUIT, (ui_rect){m, v->h - kv(v, 200), kv(v, 400), kv(v, 150)}, TR(k, "退出"), kv(v, 48), K_PANEL,
              K_INK, true);
    if (!k->rec.backup[0])
        return;

    /* right: the backup's supervisors, the PIN, the keypad */
    int x = lw + m / 2, w = lw - m - m / 2;
    ui_text(d, (ui_rect){x, kv(v, 180), w, kv(v, 60)}, TR(k, "主管输入密码以恢复此备份"), kv(v, 40), K_INK, UI_LEFT,
            true);
    int tw = (w - kv(v, 20) * 2) / 3, th = kv(v, 100);
    for (int i = 0; i < k->rec.nsups && i < 6; i++) {
        const store_operator *o = &k->rec.sups[i];
        ui_rect t = {x + (i % 3) * (tw + kv(v, 20)), kv(v, 250) + (i / 3) * (th + kv(v, 16)), tw, th};
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "%s%s", K_ID_OP, o->id);
        bool sel = strcmp(k->rec.op, o->id) == 0;
        ui_rect_fill(d, t, sel ? K_PRIMARY : K_PANEL);
        ui_frame(d, t, K_LINE);
        ui_text(d, t, o->name, kv(v, 40), sel ? K_PRIMARY_INK : K_INK, UI_CENTER, true);
        ui_widget_add(d, id, t, true);
    }
    size_t n = strlen(k->entry), o = 0;
    for (size_t i = 0; i < n && o + 5 < sizeof dots; i++)
        o += (size_t)snprintf(dots + o, sizeof dots - o, "● ");
    ui_rect f = {x, kv(v, 500), w / 2 - kv(v, 10), kv(v, 110)};
    ui_rect_fill(d, f, K_PANEL);
    ui_frame(d, f, K_INK);
    ui_text(d, f, n ? dots : TR(k, "（密码不显示）"), kv(v, 44), n ? K_INK : K_MUTED, UI_CENTER, true);
    ui_button(d, ID_RESTORE, (ui_rect){x, kv(v, 630), w / 2 - kv(v, 10), kv(v, 150)}, TR(k, "恢复备份"),
              kv(v, 48), K_PRIMARY, K_PRIMARY_INK, k->rec.op[0] && n > 0);
    k_draw_keypad(k, v, (ui_rect){x + w / 2 + kv(v, 10), kv(v, 500), w / 2 - kv(v, 10), v->h - kv(v, 540)}, K_ID_PIN,
                  false);
}

const k_screen_def k_recover_screen = {
    .name = "recover", .flags = K_SCR_NO_TILL, .enter = recover_enter, .tap = recover_tap, .key = recover_key,
    .text = recover_text, .draw = recover_draw,
};
