/*
 * config_yaml.h — the YAML reader of config_load() (see config_build.h).
 */
#ifndef SERAT_CONFIG_YAML_H
#define SERAT_CONFIG_YAML_H

struct cfg_build;

/* YAML nesting deeper than this is refused: serat's own schema needs 6
 * levels, and a hostile file of a million '[' must not cost a million
 * nodes. */
#define CFG_YAML_MAX_DEPTH 64

/*
 * Read PATH (b->conf->path) into the config being built: every key and
 * value, checked where it stands.  0, or negative when the file could not
 * be read or parsed at all (errors are already reported).
 */
int cfg_yaml_load(struct cfg_build *b, const char *path);

#endif
