-- central/002_reports.sql - indexes for the month reports (app/central/creport.h):
-- settlement, reconcile and anomalies read one month of sales out of years.
--
-- sale_month: the month's sales by local date, covering what the claim and
-- the void rates sum, so a month is one range scan of the index and never a
-- visit to the table rows.
CREATE INDEX sale_month ON sale (local_date, canteen_id, operator_id, gross_fen, subsidy_fen,
                                 pay_fen, id);
-- sale_card_time: the same card elsewhere within minutes (anomaly
-- card_two_canteens): one seek per card sale of the month.
CREATE INDEX sale_card_time ON sale (card_uid, created_utc, canteen_id) WHERE card_uid <> '';
-- sale_terminal_date_seq: where a terminal's month starts in its sequence
-- (reconcile: the highest seq before the month).
CREATE INDEX sale_terminal_date_seq ON sale (terminal_id, local_date, seq);
DROP INDEX sale_terminal_date;
