/* rd-test-http.h: an HTTP client for the server tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "rd-common.h"
#include "rd-daemon.h"
#include "rd-store.h"

G_BEGIN_DECLS

/* the one password of the test users that rd_test_add_users() adds */
#define RD_TEST_PASSWORD "secretpass1"

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
  JsonObject         *json;   /* set when the reply is application/json */
} RdTestReply;

void  rd_test_reply_clear  (RdTestReply  *reply);
void  rd_test_request_full (SoupSession  *session,
                            const char   *base,
                            const char   *method,
                            const char   *path,
                            const char   *token,
                            const char   *content_type,
                            const char   *body,
                            gssize        body_length,
                            RdTestReply  *reply);
void  rd_test_request      (SoupSession  *session,
                            const char   *base,
                            const char   *method,
                            const char   *path,
                            const char   *token,
                            const char   *json,
                            RdTestReply  *reply);
void  rd_test_assert_error (RdTestReply  *reply,
                            guint         status,
                            const char   *code);
void  rd_test_expect_error (SoupSession  *session,
                            const char   *base,
                            const char   *method,
                            const char   *path,
                            const char   *token,
                            const char   *json,
                            guint         status,
                            const char   *code);
const char *rd_test_member (JsonObject   *object,
                            const char   *name);
void  rd_test_add_user     (RdStore      *store,
                            const char   *username,
                            const char   *password_hash,
                            const char   *role);
GBytes *rd_test_request_raw (SoupSession        *session,
                             const char         *base,
                             const char         *method,
                             const char         *path,
                             const char         *token,
                             const char         *content_type,
                             GBytes             *body,
                             gboolean            chunked,
                             const char         *if_none_match,
                             guint              *status,
                             SoupMessageHeaders **headers);
void  rd_test_remove_tree  (const char   *path);
RdDaemon *rd_test_start_daemon (RdConfig *config,
                                char    **base);
char *rd_test_sign_in      (SoupSession  *session,
                            const char   *base,
                            const char   *username,
                            const char   *password);

/* a user for rd_test_add_users(): its token goes to *@token when set */
typedef struct
{
  const char  *username;
  const char  *role;
  const char  *extension;
  char       **token;
} RdTestUser;

/* a daemon on a temp data dir with root (admin), sue (supervisor), ana and
 * bob (agents), tim and tom (technicians) signed in */
typedef struct
{
  char        *dir;
  RdConfig    *config;
  RdDaemon    *daemon;
  SoupSession *session;
  char        *base;
  char        *root;
  char        *sue;
  char        *ana;
  char        *bob;
  char        *tim;
  char        *tom;
} RdTestDesk;

void        rd_test_desk_set_up    (RdTestDesk        *f,
                                    const char        *conf);
void        rd_test_desk_tear_down (RdTestDesk        *f,
                                    gconstpointer      data);

const char *rd_test_password_hash (void);
RdConfig   *rd_test_config_new    (const char        *conf,
                                   const char        *data_dir);
void        rd_test_add_users     (RdStore           *store,
                                   SoupSession       *session,
                                   const char        *base,
                                   const RdTestUser  *users,
                                   gsize              n_users);

G_END_DECLS
