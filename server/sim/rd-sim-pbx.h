/* rd-sim-pbx.h: a model of a Panasonic KX-NS PBX that reports RdCtiEvents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rd-cti-event.h"

G_BEGIN_DECLS

#define RD_TYPE_SIM_PBX (rd_sim_pbx_get_type ())

G_DECLARE_FINAL_TYPE (RdSimPbx, rd_sim_pbx, RD, SIM_PBX, GObject)

/**
 * RdSimPbxFunc:
 * @pbx: the PBX
 * @user_data: the data given to rd_sim_pbx_schedule()
 *
 * A scheduled action, run when the PBX's clock reaches its time.
 */
typedef void (*RdSimPbxFunc) (RdSimPbx *pbx,
                              gpointer  user_data);

RdSimPbx   *rd_sim_pbx_new              (void);
void        rd_sim_pbx_set_stations     (RdSimPbx            *self,
                                         const char * const  *stations);
const char * const *
            rd_sim_pbx_get_stations     (RdSimPbx            *self);
void        rd_sim_pbx_set_trunks       (RdSimPbx            *self,
                                         const char * const  *trunks);
const char * const *
            rd_sim_pbx_get_trunks       (RdSimPbx            *self);
gboolean    rd_sim_pbx_has_station      (RdSimPbx            *self,
                                         const char          *extension);

/* the clock */
void        rd_sim_pbx_set_epoch        (RdSimPbx            *self,
                                         GDateTime           *epoch);
GDateTime  *rd_sim_pbx_dup_now          (RdSimPbx            *self);
gint64      rd_sim_pbx_get_elapsed      (RdSimPbx            *self);
void        rd_sim_pbx_set_time_scale   (RdSimPbx            *self,
                                         double               scale);
double      rd_sim_pbx_get_time_scale   (RdSimPbx            *self);
void        rd_sim_pbx_advance          (RdSimPbx            *self,
                                         gint64               msec);
void        rd_sim_pbx_run_pending      (RdSimPbx            *self);
guint       rd_sim_pbx_get_n_pending    (RdSimPbx            *self);
void        rd_sim_pbx_schedule         (RdSimPbx            *self,
                                         gint64               delay_msec,
                                         RdSimPbxFunc         func,
                                         gpointer             user_data,
                                         GDestroyNotify       destroy);

/* what happens in the PBX; each returns FALSE with an RD_ERROR when the
 * action does not fit the state of the call */
char       *rd_sim_pbx_incoming         (RdSimPbx            *self,
                                         const char          *calling,
                                         const char          *trunk,
                                         const char          *ddi,
                                         const char          *extension,
                                         GError             **error);
char       *rd_sim_pbx_outgoing         (RdSimPbx            *self,
                                         const char          *extension,
                                         const char          *called,
                                         const char          *trunk,
                                         GError             **error);
char       *rd_sim_pbx_internal         (RdSimPbx            *self,
                                         const char          *extension,
                                         const char          *called,
                                         GError             **error);
gboolean    rd_sim_pbx_answer           (RdSimPbx            *self,
                                         const char          *call_id,
                                         GError             **error);
gboolean    rd_sim_pbx_divert           (RdSimPbx            *self,
                                         const char          *call_id,
                                         const char          *to_extension,
                                         const char          *cause,
                                         GError             **error);
gboolean    rd_sim_pbx_hold             (RdSimPbx            *self,
                                         const char          *call_id,
                                         GError             **error);
gboolean    rd_sim_pbx_retrieve         (RdSimPbx            *self,
                                         const char          *call_id,
                                         GError             **error);
gboolean    rd_sim_pbx_transfer         (RdSimPbx            *self,
                                         const char          *call_id,
                                         const char          *to_extension,
                                         GError             **error);
char       *rd_sim_pbx_consult          (RdSimPbx            *self,
                                         const char          *call_id,
                                         const char          *to_extension,
                                         GError             **error);
gboolean    rd_sim_pbx_complete_transfer (RdSimPbx           *self,
                                          const char         *call_id,
                                          GError            **error);
gboolean    rd_sim_pbx_hangup           (RdSimPbx            *self,
                                         const char          *call_id,
                                         GError             **error);
gboolean    rd_sim_pbx_abandon          (RdSimPbx            *self,
                                         const char          *call_id,
                                         GError             **error);
gboolean    rd_sim_pbx_no_answer        (RdSimPbx            *self,
                                         const char          *call_id,
                                         GError             **error);

/* looking calls up */
char       *rd_sim_pbx_find_call        (RdSimPbx            *self,
                                         const char          *extension,
                                         gboolean             ringing);
GStrv       rd_sim_pbx_snapshot         (RdSimPbx            *self,
                                         const char          *extension);
guint       rd_sim_pbx_get_n_calls      (RdSimPbx            *self);

/* the commands a CTI client sends */
char       *rd_sim_pbx_make_call        (RdSimPbx            *self,
                                         const char          *from_extension,
                                         const char          *to,
                                         GError             **error);
gboolean    rd_sim_pbx_deflect          (RdSimPbx            *self,
                                         const char          *call_id,
                                         const char          *from_extension,
                                         const char          *to_extension,
                                         GError             **error);

/* generated traffic */
gboolean    rd_sim_pbx_start_load       (RdSimPbx            *self,
                                         double               calls_per_second,
                                         const char          *first_extension,
                                         const char          *last_extension,
                                         guint                seconds,
                                         guint32              seed,
                                         GError             **error);
void        rd_sim_pbx_start_demo       (RdSimPbx            *self,
                                         const char          *agent_extension,
                                         guint32              seed);
void        rd_sim_pbx_stop_traffic     (RdSimPbx            *self);

/**
 * RdSimDemoCaller:
 * @number: as the PBX signals it (national format)
 * @name: the person
 * @company: their company
 * @issue: what they call about (for a demo ticket), or %NULL
 *
 * The regular callers of the demo traffic; `ringdesk-server --demo` seeds
 * them as customers so most demo calls pop up a known caller.
 */
typedef struct
{
  const char *number;
  const char *name;
  const char *company;
  const char *issue;
} RdSimDemoCaller;

const RdSimDemoCaller *rd_sim_pbx_get_demo_callers (guint *n_callers);

G_END_DECLS
