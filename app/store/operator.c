/* operator.c - operators and PIN login with lockout.
 *
 * PINs are stored as argon2id hashes (zc_pin_hash).  Five wrong PINs in a
 * row lock the operator for five minutes; the lock is kept in the row
 * (failed, locked_until) so restarting the till does not lift it.  A lock
 * that has run out is cleared by the next attempt: a right PIN resets the
 * count, a wrong one starts a new count at 1.  Every attempt, right or
 * wrong, is written to the audit log.  The PIN is checked outside the write
 * transaction (argon2 is deliberately slow) and the counters are then
 * updated under the write lock. */
#include "../core/clock.h"
#include "store_int.h"

#include <string.h>
#include <time.h>

#define MAX_WRONG 5       /* wrong PINs in a row before a lock */
#define LOCK_SECONDS 300  /* how long the lock lasts */

static const char *const role_names[] = {"cashier", "supervisor", "admin"};

const char *store_role_name(store_role r)
{
    return (int)r >= 0 && (int)r < 3 ? role_names[r] : "unknown";
}

#define OP_COLS "id, name, role, active, failed, locked_until, pin_hash"

/* Fills out from a row of OP_COLS; pin_hash (may be NULL) gets the hash. */
static void op_from_row(sqlite3_stmt *s, store_operator *out, char *pin_hash, size_t n)
{
    memset(out, 0, sizeof *out);
    store_col_text(s, 0, out->id, sizeof out->id);
    store_col_text(s, 1, out->name, sizeof out->name);
    const char *role = (const char *)sqlite3_column_text(s, 2);
    out->role = STORE_ROLE_CASHIER; /* unknown text never gains rights */
    for (int i = 0; role && i < 3; i++)
        if (strcmp(role, role_names[i]) == 0)
            out->role = (store_role)i;
    out->active = sqlite3_column_int(s, 3) != 0;
    out->failed = sqlite3_column_int(s, 4);
    out->locked_until = sqlite3_column_int64(s, 5);
    if (pin_hash)
        store_col_text(s, 6, pin_hash, n);
}

static int op_read(store_t *st, const char *id, store_operator *out, char *pin_hash, size_t n,
                   zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_OP_GET, "SELECT " OP_COLS " FROM operator WHERE id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        op_from_row(s, out, pin_hash, n);
    else if (rc == SQLITE_DONE)
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no operator %s; check the operator number", id);
    else
        ret = store_dbfail(st, rc, "reading the operators", err);
    store_done(s);
    return ret;
}

int store_operator_get(store_t *st, const char *id, store_operator *out, zc_err *err)
{
    if (!id || !*id)
        return zc_errf(err, ZC_EINVAL, "no operator was given");
    return op_read(st, id, out, NULL, 0, err);
}

int store_operator_list(store_t *st, store_operator *out, int cap, int *n, zc_err *err)
{
    sqlite3_stmt *s;
    *n = 0;
    int ret = store_prep(st, Q_OP_LIST, "SELECT " OP_COLS " FROM operator ORDER BY id", &s, err);
    if (ret)
        return ret;
    int rc = SQLITE_DONE;
    while (*n < cap && (rc = sqlite3_step(s)) == SQLITE_ROW)
        op_from_row(s, &out[(*n)++], NULL, 0);
    if (*n < cap && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "reading the operators", err);
    store_done(s);
    return ret;
}

/* Adds an operator (audited).  An existing id is ZC_ECONFLICT. */
int store_operator_add(store_t *st, const store_operator *op, const char *pin, zc_err *err)
{
    char hash[STORE_SEALED_MAX];
    int ret = zc_pin_valid(pin, err);
    if (ret || (ret = store_pin_hash(st, pin, hash, err)))
        return ret;
    return store_op_insert(st, "", op, hash, err);
}

int store_op_insert(store_t *st, const char *actor, const store_operator *op, const char *hash,
                    zc_err *err)
{
    sqlite3_stmt *s;
    char detail[64];
    if (!op || !op->id[0] || !op->name[0])
        return zc_errf(err, ZC_EINVAL, "an operator needs an id and a name");
    for (const char *p = op->id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              *p == '-' || *p == '_'))
            return zc_errf(err, ZC_EINVAL, "operator id \"%s\" may hold only letters, digits, '-' "
                           "and '_'", op->id);
    if ((int)op->role < 0 || (int)op->role > 2)
        return zc_errf(err, ZC_EINVAL, "operator %s: the role must be cashier, supervisor or admin",
                       op->id);
    int ret;
    if ((ret = store_begin(st, "the operator", err)))
        return ret;
    if ((ret = store_prep(st, Q_OP_INSERT,
                          "INSERT INTO operator (id, name, role, pin_hash, failed, locked_until, "
                          "active) VALUES (?, ?, ?, ?, 0, 0, ?)", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, op->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, op->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, role_names[op->role], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, op->active ? 1 : 0);
    int rc = sqlite3_step(s);
    store_done(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        ret = zc_errf(err, ZC_ECONFLICT, "operator %s already exists; choose another id", op->id);
    else if (rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "the operator", err);
    if (ret)
        goto out;
    snprintf(detail, sizeof detail, "role=%s", role_names[op->role]);
    if ((ret = store_audit_write(st, zc_now(), actor ? actor : "", "operator_add", op->id, detail,
                                 err)))
        goto out;
    ret = store_commit(st, "the operator", err);
out:
    store_rollback(st);
    return ret;
}

/* Updates the counters after a checked PIN and audits it, in one
 * transaction.  The row is re-read under the write lock. */
static int record_attempt(store_t *st, const char *id, bool right, int64_t now,
                          store_operator *op, zc_err *err)
{
    sqlite3_stmt *s;
    char detail[64];
    int ret = store_begin(st, "the login", err);
    if (ret)
        return ret;
    if ((ret = op_read(st, id, op, NULL, 0, err)))
        goto out;
    if (op->locked_until && op->locked_until <= now) { /* an old lock ran out */
        op->locked_until = 0;
        op->failed = 0;
    }
    if (right) {
        op->failed = 0;
        op->locked_until = 0;
        snprintf(detail, sizeof detail, "ok");
    } else {
        op->failed++;
        if (op->failed >= MAX_WRONG)
            op->locked_until = now + LOCK_SECONDS;
        snprintf(detail, sizeof detail, "wrong PIN %d of %d%s", op->failed, MAX_WRONG,
                 op->locked_until ? ", locked" : "");
    }
    if ((ret = store_prep(st, Q_OP_FAILED,
                          "UPDATE operator SET failed = ?, locked_until = ? WHERE id = ?", &s, err)))
        goto out;
    sqlite3_bind_int(s, 1, op->failed);
    sqlite3_bind_int64(s, 2, op->locked_until);
    sqlite3_bind_text(s, 3, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "the login", err);
        goto out;
    }
    if ((ret = store_audit_write(st, now, id, right ? "login" : "login_failed", id, detail, err)))
        goto out;
    ret = store_commit(st, "the login", err);
out:
    store_rollback(st);
    return ret;
}

/* Audits an attempt that changes nothing, at time now. */
static int audit_attempt(store_t *st, const char *id, const char *action, int64_t now, zc_err *err)
{
    int ret = store_begin(st, "the login", err);
    if (ret == ZC_OK && (ret = store_audit_write(st, now, id, action, id, "", err)) == ZC_OK)
        ret = store_commit(st, "the login", err);
    store_rollback(st);
    return ret;
}

static int locked_msg(const store_operator *op, zc_err *err)
{
    zc_datetime until = zc_tz_local(op->locked_until);
    return zc_errf(err, ZC_ELOCKED, "operator %s is locked until %02d:%02d (too many wrong PINs); "
                   "ask a supervisor", op->id, until.hh, until.mm);
}

/* Checks a PIN at time now (see the top of the file for the lock rules). */
int store_operator_login(store_t *st, const char *id, const char *pin, int64_t now,
                         store_operator *out, zc_err *err)
{
    store_operator op;
    char hash[STORE_SEALED_MAX];
    zc_err why;
    if (!id || !*id)
        return zc_errf(err, ZC_EINVAL, "type your operator number first");
    int ret = op_read(st, id, &op, hash, sizeof hash, err);
    if (ret == ZC_ENOTFOUND || (ret == ZC_OK && !op.active)) {
        bool unknown = ret == ZC_ENOTFOUND;
        if ((ret = audit_attempt(st, id, unknown ? "login_unknown" : "login_inactive", now, err)))
            return ret;
        return unknown ? zc_errf(err, ZC_ENOTFOUND, "there is no operator %s; check the operator "
                                 "number", id)
                       : zc_errf(err, ZC_EREFUSED, "operator %s is switched off; ask a supervisor", id);
    }
    if (ret)
        return ret;
    if (op.locked_until > now) {
        ret = audit_attempt(st, id, "login_locked", now, err);
        return ret ? ret : locked_msg(&op, err);
    }
    if ((ret = store_pin_ready(st, hash, err))) /* no key: not a wrong PIN */
        return ret;
    bool right = pin && store_pin_verify(st, hash, pin) == ZC_OK;
    if ((ret = record_attempt(st, id, right, now, &op, &why)))
        return zc_errf(err, ret, "%s", why.msg);
    if (out)
        *out = op;
    if (right)
        return ZC_OK;
    if (op.locked_until > now)
        return locked_msg(&op, err);
    int left = MAX_WRONG - op.failed;
    return zc_errf(err, ZC_EREFUSED, "wrong PIN for operator %s; %d more wrong PIN%s lock%s it for %d "
                   "minutes", id, left, left == 1 ? "" : "s", left == 1 ? "s" : "", LOCK_SECONDS / 60);
}
