/* rd-common.h: the one header client, server and tests include from common/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rd-api.h"
#include "rd-codec.h"
#include "rd-error.h"
#include "rd-json.h"
#include "rd-user.h"
#include "rd-util.h"
