#include <stdio.h>
int main(void) { puts("1..0 # SKIP stub"); return 0; }
