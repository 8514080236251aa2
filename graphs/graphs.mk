# graphs/graphs.mk — build rules of this part, included by Makefile.am
