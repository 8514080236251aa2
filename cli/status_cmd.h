/*
 * status_cmd.h — `serat status --config FILE [--json]`.
 *
 * Reads <data_dir>/status.json (written by seratd once per interval and
 * at exit), so it works whether or not seratd is running.  --json prints
 * the snapshot as is (pretty-printed; JSON escapes keep an agent's ESC as
 * \u001b); otherwise a table of devices and their interfaces, in which
 * every string that came from the snapshot passes text_sanitize() (a
 * control character or escape sequence in an ifName prints as '?') and
 * the snapshot time is local time in the configured timezone
 * ("2026-12-02 13:05:01 WIB").  Exit codes: 0 printed, 1 no snapshot or
 * bad config, 2 usage error.
 */
#ifndef SERAT_STATUS_CMD_H
#define SERAT_STATUS_CMD_H

int status_cmd_main(int argc, char **argv);

#endif
