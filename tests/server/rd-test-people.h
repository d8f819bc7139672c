/* rd-test-people.h: a daemon with users, for the groups, customers, places and
 * work-order tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-daemon.h"
#include "rd-test-http.h"

G_BEGIN_DECLS

/* root: admin, sue: supervisor, ana: agent, tim, tom and ted: technicians */
typedef struct
{
  char        *dir;
  char        *conf;
  RdConfig    *config;
  RdDaemon    *daemon;
  SoupSession *session;
  char        *base;
  char        *root;
  char        *sue;
  char        *ana;
  char        *tim;
  char        *tom;
  char        *ted;
} RdTestPeople;

typedef RdTestReply Reply;

void        rd_test_people_init        (void);
void        rd_test_people_set_up      (RdTestPeople  *f,
                                        gconstpointer  data);
void        rd_test_people_tear_down   (RdTestPeople  *f,
                                        gconstpointer  data);
void        rd_test_people_restart     (RdTestPeople  *f);
RdServer   *rd_test_people_server      (RdTestPeople  *f);
void        rd_test_people_request     (RdTestPeople  *f,
                                        const char    *method,
                                        const char    *path,
                                        const char    *token,
                                        const char    *json,
                                        Reply         *reply);
void        rd_test_people_expect      (RdTestPeople  *f,
                                        const char    *method,
                                        const char    *path,
                                        const char    *token,
                                        const char    *json,
                                        guint          status,
                                        Reply         *reply);
void        rd_test_people_expect_error (RdTestPeople *f,
                                        const char    *method,
                                        const char    *path,
                                        const char    *token,
                                        const char    *json,
                                        guint          status,
                                        const char    *code);
void        rd_test_people_common_errors (RdTestPeople *f,
                                        const char    *method,
                                        const char    *path,
                                        const char    *token);
char       *rd_test_people_create      (RdTestPeople  *f,
                                        const char    *path,
                                        const char    *token,
                                        const char    *json,
                                        const char    *id_member);

G_END_DECLS
