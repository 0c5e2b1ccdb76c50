#ifndef HYPERNODES_CNCURSESW_SHIM_H
#define HYPERNODES_CNCURSESW_SHIM_H

// Wide-character ncurses: these must come before the header, as SwiftPM
// drops the Cflags pkg-config would give.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <locale.h>
#include <ncursesw/curses.h>

// Macros Swift cannot import, as functions.
static inline attr_t hn_attr_bold(void) { return A_BOLD; }
static inline attr_t hn_attr_dim(void) { return A_DIM; }
static inline attr_t hn_attr_reverse(void) { return A_REVERSE; }
static inline attr_t hn_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t hn_attr_normal(void) { return A_NORMAL; }
static inline WINDOW *hn_stdscr(void) { return stdscr; }
static inline int hn_lines(void) { return LINES; }
static inline int hn_cols(void) { return COLS; }
static inline int hn_colors(void) { return COLORS; }
static inline int hn_color_pairs(void) { return COLOR_PAIRS; }
static inline int hn_key_f(int n) { return KEY_F(n); }

// C's stdout is a mutable global Swift 6 rejects: line-buffer it (so that
// lines printed while the monitor captures descriptor 1 arrive at once).
static inline void hn_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

#endif
