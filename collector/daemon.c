/* stub, filled in by its change */
#include "config.h"
extern int serat_stub_daemon;
