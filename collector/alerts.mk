# collector/alerts.mk — build rules of this part, included by Makefile.am
