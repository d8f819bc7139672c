/* rd-config.h: the server's configuration (GKeyFile, defaults in code)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RD_TYPE_CONFIG (rd_config_get_type ())

G_DECLARE_FINAL_TYPE (RdConfig, rd_config, RD, CONFIG, GObject)

#define RD_CONFIG_DEFAULT_LISTEN         "127.0.0.1:8765"
#define RD_CONFIG_DEFAULT_MAX_BODY_SIZE  (1024 * 1024)
#define RD_CONFIG_DEFAULT_TOKEN_LIFETIME (12 * 60 * 60)

RdConfig    *rd_config_new                (void);
gboolean     rd_config_load_file          (RdConfig     *self,
                                           const char   *filename,
                                           GError      **error);
gboolean     rd_config_load_from_data     (RdConfig     *self,
                                           const char   *data,
                                           gsize         length,
                                           GError      **error);
gboolean     rd_config_set_listen         (RdConfig     *self,
                                           const char   *listen,
                                           GError      **error);
void         rd_config_set_data_dir       (RdConfig     *self,
                                           const char   *data_dir);
void         rd_config_set_demo           (RdConfig     *self,
                                           gboolean      demo);
gboolean     rd_config_get_demo           (RdConfig     *self);
gboolean     rd_config_validate           (RdConfig     *self,
                                           GError      **error);
const char * const *rd_config_get_warnings (RdConfig    *self);

char        *rd_config_get_string         (RdConfig     *self,
                                           const char   *group,
                                           const char   *key);
gint64       rd_config_get_int            (RdConfig     *self,
                                           const char   *group,
                                           const char   *key);
gboolean     rd_config_get_boolean        (RdConfig     *self,
                                           const char   *group,
                                           const char   *key);
char       **rd_config_get_strv           (RdConfig     *self,
                                           const char   *group,
                                           const char   *key);
char       **rd_config_get_hunt_groups    (RdConfig     *self);

char        *rd_config_get_listen_host    (RdConfig     *self);
guint16      rd_config_get_listen_port    (RdConfig     *self);
char        *rd_config_get_data_dir       (RdConfig     *self);
gsize        rd_config_get_max_body_size  (RdConfig     *self);
gint64       rd_config_get_token_lifetime (RdConfig     *self);
gboolean     rd_config_ensure_data_dir    (RdConfig     *self,
                                           GError      **error);

gboolean     rd_config_parse_listen       (const char   *listen,
                                           char        **host,
                                           guint16      *port,
                                           GError      **error);

G_END_DECLS
