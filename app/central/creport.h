/* creport.h - the operator's month: the subsidy claim (settlement), what each
 * terminal said it sold against what the centre holds (reconcile), and what
 * looks wrong (anomalies).  The command line (`zhucan-central report
 * settlement|reconcile|anomalies`) and the admin web page both render these
 * cJSON objects; neither runs SQL of its own.  (The commands are
 * `report settlement`, `reconcile` and `anomalies`: app/central/cmd_month.c.)
 *
 * month is "YYYY-MM" (a sale's month is its local_date's).  Every function
 * adds members to the cJSON object `out` (owned by the caller) and returns
 * ZC_OK or a negative ZC_E* code with err filled (ZC_EINVAL for a bad month).
 * Money members end in _fen and are integers.  Voided sales are left out of
 * every sum; they are counted in "voids".
 *
 * settlement (canteen NULL = every canteen):
 *   "month", "canteen" (string or null),
 *   "canteens": [{"id","name","meals","gross_fen","subsidy_fen","pay_fen","voids",
 *                 "sources": [{"source","meals","subsidy_fen"}]}],
 *   "from", "to": the month's first and last dates,
 *   "totals":   {"meals","gross_fen","subsidy_fen","pay_fen","voids",
 *                "sources": [{"source","meals","subsidy_fen"}]},
 *   "days":     [{"date","meals","subsidy_fen"}]   (every day of the month),
 *   "ledger":   [{"sale_id","time","canteen","terminal","elder_id","elder",
 *                 "rule","source","fen"}]          (only when with_ledger;
 *                 "elder" is the masked name, one row per subsidy part)
 *   meals = non-voided sales; a source's meals = those with a part from it.
 *
 * reconcile:
 *   "month", "terminals": [{"id","canteen","status" ("ok"|"problems"),
 *     "closings","held_sales","held_subsidy_fen","max_seq",
 *     "missing_seqs": [N...], "missing_closings": ["YYYY-MM-DD"...],
 *     "mismatched_days": [{"date","closing_count","held_count",
 *                          "closing_subsidy_fen","held_subsidy_fen"}],
 *     "conflicts": [{"sale_id","kind","received_utc"}],
 *     "chain_breaks": [{"seq","expected","got"}],
 *     "refused": [{"seq","sale_id","reason","times","received_utc"}]
 *                (sales sent but refused, e.g. content not giving its hash;
 *                 their seqs are in missing_seqs too),
 *     "why": ["one sentence per problem"...]}],
 *   "problems": N (terminals with status "problems")
 *   also "from", "to"; per terminal "seq_from", "seq_to" (the seqs the month
 *   owns: after the last known before it, up to the last known in it, held
 *   or named by a closing), "missing" (how many; missing_seqs lists the first
 *   200); mismatched_days also have "closing_gross_fen", "held_gross_fen".
 *
 * anomalies:
 *   "month", "anomalies": [{"kind","date","sale_id","elder_id","canteen",
 *     "terminal","operator","why"}]  (members that do not apply are "")
 *   kinds: "over_limit", "card_two_canteens", "outside_window",
 *          "requote_differs", "void_rate";
 *   "counts": {"<kind>": N, ...} (every kind, zero included).
 *   also "from", "to"; each row also "time" (the sale's local time) and
 *   "subsidy_fen"; kind "flag" for the other ingest flags (card_blocked,
 *   card_lost, card_unknown, card_other_elder, canteen_mismatch, date_future,
 *   date_past, time_mismatch; "why" names
 *   it).  Rules and thresholds: creport_anom.c and docs/central.md. */
#ifndef ZC_CENTRAL_CREPORT_H
#define ZC_CENTRAL_CREPORT_H

#include <stdbool.h>

#include "../core/err.h"
#include "cstore.h"

struct cJSON;
struct zc_csvout;

int central_report_settlement(central_store *st, const char *month, const char *canteen,
                              bool with_ledger, struct cJSON *out, zc_err *err) ZC_MUST;
int central_report_reconcile(central_store *st, const char *month, struct cJSON *out,
                             zc_err *err) ZC_MUST;
int central_report_anomalies(central_store *st, const char *month, struct cJSON *out,
                             zc_err *err) ZC_MUST;

/* Writes a settlement object as the claim's CSV (header, then one row per
 * canteen and funding source: month, canteen, canteen_name, source, meals,
 * subsidy_fen, subsidy_yuan) on w, begun by the caller.  `report settlement
 * --format csv` and the admin page's download are this. */
void central_report_settlement_csv(const struct cJSON *settlement, struct zc_csvout *w);

#endif
