package store

import (
	"context"
	"time"
)

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
	if len(serials) == 0 {
		return nil
	}
	args := make([]any, len(serials))
	for i, v := range serials {
		args[i] = v
	}
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM created_devices WHERE serial IN (`+placeholders(len(serials))+`)`), args...)
	return err
}
