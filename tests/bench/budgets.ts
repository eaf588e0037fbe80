/**
 * The budget table of design §5 (a contract: keys, units and budgets). `null` marks a figure that is
 * reported without a budget. Never loosen a budget here: change the design first.
 */
export const BUDGETS = {
  content_script_gzip_bytes: { unit: 'bytes', budget: 6_144 },
  added_task_ms_site_without_codes: { unit: 'ms', budget: 2 },
  added_task_ms_noform_page: { unit: 'ms', budget: 3 },
  added_task_ms_login_5k_nodes: { unit: 'ms', budget: 5 },
  added_task_ms_many_inputs: { unit: 'ms', budget: 5 },
  added_task_ms_spa_churn: { unit: 'ms', budget: 15 },
  detect_scan_ms_5k_nodes: { unit: 'ms', budget: 2 },
  popup_interactive_ms: { unit: 'ms', budget: 150 },
  kdf_ms: { unit: 'ms', budget: null },
  unlock_to_list_ms: { unit: 'ms', budget: 600 },
  list_render_ms_1000_accounts: { unit: 'ms', budget: 100 },
} as const satisfies Record<string, { unit: string; budget: number | null }>;

export type MetricKey = keyof typeof BUDGETS;

export const METRIC_KEYS = Object.keys(BUDGETS) as MetricKey[];
