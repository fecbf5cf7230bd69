/* host.h - the kiosk's SDL host: `zhucan kiosk`.
 *
 * Opens the terminal database, the state machine (kiosk.h), a window with
 * the renderer (sdl_render.h), the card reader and the speaker, and turns
 * touches, keys and reader lines into kiosk events.  Also runs test scripts
 * (with or without a display) and the latency benchmark. */
#ifndef ZC_UI_HOST_H
#define ZC_UI_HOST_H

/* Runs the kiosk; argv as main's (a leading "kiosk" command word in argv[1]
 * is skipped).  Returns the process exit status: 0 ok (or every script
 * expectation held), 1 failure with a one-line reason on stderr (or a
 * script expectation failed), 2 usage error. */
int kiosk_main(int argc, char **argv);

#endif
