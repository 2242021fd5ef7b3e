/** Tables of notifications (migration 0003): outbox, silences, task notices. */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './reference.table.js';

/** bigint[] columns: numbers coming back (pg parses int8 arrays as strings; see outbox.repository). */
type IdArray = ColumnType<string[], number[] | undefined, number[]>;

export type NotificationKind = 'digest' | 'city-summary' | 'immediate' | 'reminder' | 'escalation' | 'report';
export type NotificationStatus = 'pending' | 'held' | 'sending' | 'sent' | 'dead' | 'unknown' | 'cancelled';
export type SilenceScope = 'county' | 'rule' | 'household';

export interface SilenceTable {
  id: Generated<number>;
  scope: SilenceScope;
  /** County code, rule id or household id, per scope. */
  value: string;
  /** The silence ends at this instant (exclusive). */
  until: Timestamp;
  reason: string;
  created_by: string;
  created_at: Generated<Date>;
  /** Set when expired by hand before `until`. */
  expired_at: Timestamp | null;
  expired_by: string | null;
}

/** The outbox: one row per (recipient, key), one e-mail each. */
export interface NotificationTable {
  id: Generated<number>;
  /** e.g. `digest:<cycleId>:<countyCode>`, `immediate:<alertId>`, `reminder:<countyCode>:<YYYY-MM-DD>`. */
  key: string;
  recipient: string;
  kind: NotificationKind;
  status: Generated<NotificationStatus>;
  county_code: string | null;
  cycle_id: number | null;
  alert_ids: IdArray;
  task_ids: IdArray;
  /** The silence holding the row back (status `held` only). */
  silence_id: number | null;
  /** Stable Message-ID derived from key and recipient, `<hash@income-watch>`. */
  message_id: string;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  sending_since: Timestamp | null;
  sent_at: Timestamp | null;
  last_error: string | null;
  smtp_response: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** The file sent with the mail (migration 0012), shared by every recipient of the key. */
  attachment_key: Generated<string | null>;
}

/** A file attached to outbox rows (migration 0012): stored once, sent byte for byte on every attempt. */
export interface MailAttachmentTable {
  key: string;
  file_name: string;
  content_type: string;
  content: Buffer;
  created_at: Generated<Date>;
}

/**
 * A digest a completed cycle still has to render (`digest:<cycleId>:<countyCode>`,
 * `city-summary:<cycleId>`): written in the completing transaction, turned into outbox rows by
 * the notifier (digest.service.ts).
 */
export interface PendingDigestTable {
  /** The outbox key of the digest. */
  key: string;
  kind: 'digest' | 'city-summary';
  cycle_id: number;
  /** Set for `digest`, null for `city-summary`. */
  county_code: string | null;
  status: Generated<'pending' | 'rendered'>;
  /** Failed renderings so far. */
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  notifications: number | null;
  created_at: Generated<Date>;
  rendered_at: Timestamp | null;
}

/** At most one reminder and one escalation per task and day (the primary key). */
export interface TaskNoticeTable {
  task_id: number;
  kind: 'reminder' | 'escalation';
  /** `YYYY-MM-DD` in Asia/Shanghai. */
  day: string;
  notification_key: string;
  created_at: Generated<Date>;
}
