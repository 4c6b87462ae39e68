package sqlite

import (
	"context"
	"database/sql"
)

// Group commit of small writes. A poll round ends with one feed-state
// update per feed, each its own transaction: a commit (WAL append, lock
// hand-over) per feed, one after the other. groupExec gathers the updates
// that arrive while a transaction runs into the next one. Every caller
// still returns only once the transaction holding its write has
// committed, so what it was told is stored is stored.

// maxGroup bounds the writes of one grouped transaction.
const maxGroup = 256

// groupReq is one write waiting for a grouped transaction.
type groupReq struct {
	ctx  context.Context
	q    string
	args []any
	n    int64 // rows affected
	err  error
	done chan struct{}
}

// groupExec runs q (one statement) in a transaction shared with the
// groupExec calls that queue meanwhile (db.group), and returns its rows
// affected. The first caller flushes the queue until it is empty; the
// others wait for the commit of their write.
func (db *DB) groupExec(ctx context.Context, q string, args ...any) (int64, error) {
	req := &groupReq{ctx: ctx, q: q, args: args, done: make(chan struct{})}
	if !db.group.Join(req, func([]*groupReq) int { return maxGroup }, db.flushGroup) {
		<-req.done
	}
	return req.n, req.err
}

// flushGroup runs the batch's writes in one transaction. A write whose
// context has ended is not run. If the transaction fails, each write is
// run on its own, so a bad one fails only itself.
func (db *DB) flushGroup(batch []*groupReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			close(r.done)
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	db.wmu.Lock()
	defer db.wmu.Unlock()
	defer db.wakeCheckpointer()
	if len(live) > 1 && db.groupTx(live) == nil {
		for _, r := range live {
			close(r.done)
		}
		return
	}
	for _, r := range live {
		r.n, r.err = 0, nil
		res, err := db.exec(r.ctx, r.q, r.args...)
		if err == nil {
			r.n, err = res.RowsAffected()
		}
		r.err = err
		close(r.done)
	}
}

// groupTx runs the writes in one transaction and sets their rows affected;
// wmu is held. The transaction runs to its end even if a caller's context
// ends meanwhile.
func (db *DB) groupTx(batch []*groupReq) error {
	ctx := context.WithoutCancel(batch[0].ctx)
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := map[string]*sql.Stmt{}
	for _, r := range batch {
		s := stmts[r.q]
		if s == nil {
			if s, err = db.txStmt(ctx, tx, r.q); err != nil {
				return err
			}
			stmts[r.q] = s
		}
		res, err := s.ExecContext(ctx, r.args...)
		if err != nil {
			return err
		}
		if r.n, err = res.RowsAffected(); err != nil {
			return err
		}
	}
	return tx.Commit()
}
