/* rd-common.h: the one header client, server and tests include from common/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-api.h"
#include "rd-asset.h"
#include "rd-ber.h"
#include "rd-call.h"
#include "rd-codec.h"
#include "rd-customer.h"
#include "rd-enums.h"
#include "rd-error.h"
#include "rd-event.h"
#include "rd-evidence.h"
#include "rd-group.h"
#include "rd-hop.h"
#include "rd-json.h"
#include "rd-location.h"
#include "rd-phone.h"
#include "rd-sla-row.h"
#include "rd-ticket.h"
#include "rd-user.h"
#include "rd-util.h"
