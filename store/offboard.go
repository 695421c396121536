package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/gatehouse/portal"
)

// RecordOffboarded records that user id's IAM user is gone (offboarded, or
// found deleted), in one transaction: its unclaimed invites are revoked, it
// becomes offboarded with no MFA serial, and the records of the virtual MFA
// devices the offboarding deleted (serials) go.
func (s *Store) RecordOffboarded(ctx context.Context, id int64, serials []string, now time.Time) error {
	offboarded, none := portal.StateOffboarded, ""
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.revokeInvites(ctx, tx, id, now); err != nil {
			return err
		}
		if err := s.updateUser(ctx, tx, id, UserUpdate{State: &offboarded, MFASerial: &none}, now); err != nil {
			return err
		}
		return s.deleteDevices(ctx, tx, serials...)
	})
}
