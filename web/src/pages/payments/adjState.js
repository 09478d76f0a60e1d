// Shared bits of the adjustment pages (recalculation, adjustments): the state shown for a
// row, which rows the office may decide on, the el-tag type of each state.
// docs/payments.md "Retroactive changes": a clawback (negative adjustment) recovered in full
// by offsets is set to paid — shown as "settled"; an open clawback is pending or confirmed.

/** The state shown: a clawback recovered in full (status paid) reads "settled". */
export const shown = (row) => (row.kind === 'clawback' && row.status === 'paid' ? 'settled' : row.status)
/** An open clawback (negative, pending or confirmed): the office may waive it or collect it separately. */
export const openClawback = (row) => row.amount_fen < 0 && (row.status === 'pending' || row.status === 'confirmed')
export const ADJ_TAG = {
  pending: 'warning', confirmed: 'primary', paid: 'success', settled: 'success', cancelled: 'info',
  waived: 'info', collect_separately: 'info',
}
