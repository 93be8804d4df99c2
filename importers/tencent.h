/*
 * tencent.h - what the Tencent Cloud bill-detail CSV (tencent.c) and the
 * DescribeBillDetail API JSON (tencent-api.c) share: one bill line, already
 * typed, and the mapping of it onto charges.
 */
#ifndef IMCOST_TENCENT_H
#define IMCOST_TENCENT_H

#include <stdint.h>

#include "importers/billutil.h"
#include "importers/importer.h"

/* One line of a Tencent bill (a component of a bill-detail record).  Text
 * slices must stay valid until tc_emit returns. */
struct tc_line {
	int64_t period_start;		/* billing month label (UTC midnight) */
	int64_t real, cost;		/* 优惠后总价 RealCost; 原价 Cost */
	int has_cost;
	double used;			/* 组件用量 UsedAmount */
	int has_used;
	int64_t start, end;		/* FeeBeginTime..FeeEndTime, UTC */
	int has_start, has_end;
	struct str payer, owner, product, product_code, subproduct, pay_mode, action,
		   region, zone, resource, resource_name, instance_type, order, item,
		   item_code, used_unit, currency, tags;
};

/* Per-file state of the mapping. */
struct tc_state {
	struct spread_buf sb;
};

/*
 * Emit the charges of one line: a prepaid purchase, renewal or refund
 * (交易类型 新购/续费/升降配/退费/包年包月转按量, ActionType prepay_* and
 * pre_to_post) as a Purchase spread over its usage period; pay-as-you-go
 * settlements as Usage; 调账 (recon_*) as Adjustment.  Returns 0 or -1.
 */
int tc_emit(struct tc_state *ts, struct row_ctx *rc, const struct tc_line *l,
	    struct ic_error *err);

#endif
