package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/gatehouse/portal"
)

// What MFA enrollment records (onboarding/enroll.go): the virtual MFA
// devices Gatehouse created (until enabled or deleted), the device a setup
// session is about to enable, and the enrollment itself.

// CreatedDevice is a virtual MFA device Gatehouse created for a user's
// enrollment, recorded until the device is enabled or deleted.
type CreatedDevice struct {
	Serial    string
	UserID    int64
	CreatedAt time.Time
}

// CreateDevice records a device Gatehouse created; recording it twice is
// not an error.
func (s *Store) CreateDevice(ctx context.Context, d CreatedDevice) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO created_devices (serial, user_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (serial) DO NOTHING`), d.Serial, d.UserID, ms(d.CreatedAt))
	return err
}

// FindDevices returns every recorded device by serial.
func (s *Store) FindDevices(ctx context.Context) (map[string]CreatedDevice, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT serial, user_id, created_at FROM created_devices`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]CreatedDevice{}
	for rows.Next() {
		var d CreatedDevice
		var created int64
		if err := rows.Scan(&d.Serial, &d.UserID, &created); err != nil {
			return nil, err
		}
		d.CreatedAt = fromMS(created)
		out[d.Serial] = d
	}
	return out, rows.Err()
}

// DeleteDevices forgets the given serials (enabled or deleted devices).
func (s *Store) DeleteDevices(ctx context.Context, serials ...string) error {
	return s.deleteDevices(ctx, s.db, serials...)
}

func (s *Store) deleteDevices(ctx context.Context, ex execer, serials ...string) error {
	if len(serials) == 0 {
		return nil
	}
	args := make([]any, len(serials))
	for i, v := range serials {
		args[i] = v
	}
	_, err := ex.ExecContext(ctx, s.q(`DELETE FROM created_devices WHERE serial IN (`+placeholders(len(serials))+`)`), args...)
	return wrapErr(err, "forget devices")
}

// SetPendingSerial remembers the virtual MFA device created for a claim
// session (or clears it with "").
func (s *Store) SetPendingSerial(ctx context.Context, idHash, serial string) error {
	return s.setPendingSerial(ctx, s.db, idHash, serial)
}

func (s *Store) setPendingSerial(ctx context.Context, ex execer, idHash, serial string) error {
	_, err := ex.ExecContext(ctx, s.q(`UPDATE claim_sessions SET pending_serial = ? WHERE id_hash = ?`), serial, idHash)
	return wrapErr(err, "set pending serial")
}

// RecordEnrollment records that user id enrolled MFA with the device
// serial, in one transaction: the user becomes enrolled with that serial,
// the device's record as one Gatehouse created goes (it is the user's device
// now, not an abandoned one), and the setup session claimIDHash ("" for
// none) no longer waits for a device.
func (s *Store) RecordEnrollment(ctx context.Context, id int64, serial, claimIDHash string, now time.Time) error {
	enrolled := portal.StateEnrolled
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.updateUser(ctx, tx, id, UserUpdate{State: &enrolled, MFASerial: &serial, EnrolledAt: &now}, now); err != nil {
			return err
		}
		if err := s.deleteDevices(ctx, tx, serial); err != nil {
			return err
		}
		if claimIDHash == "" {
			return nil
		}
		return s.setPendingSerial(ctx, tx, claimIDHash, "")
	})
}
