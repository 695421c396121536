package handlers

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
)

// maxBulkUpload bounds an uploaded CSV (5,000 rows of generous width).
const maxBulkUpload = 2 << 20

// bulkUploadMemory is how much of an upload is kept in memory; the rest
// of a larger file is spooled to a temporary file, removed when the
// request ends.
const bulkUploadMemory = 1 << 20

// bulkForm shows the CSV upload form.
func (s *Server) bulkForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.BulkUploadPage(web.BulkUploadView{Page: s.page(r, web.T(r.Context(), "bulk.title"))}))
}

// bulkCheck validates an uploaded CSV and shows every row's verdict.
// Nothing is created yet.
func (s *Server) bulkCheck(w http.ResponseWriter, r *http.Request) {
	// The body is capped by limitBody. The form is parsed here, on the
	// request this handler holds (a copy made by middleware): the server
	// cleans up only the original request's form, so the temporary files
	// of this one are removed here.
	err := r.ParseMultipartForm(bulkUploadMemory)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.bulkFormError(w, r, &portal.Error{Code: portal.ETOOLARGE, Field: "file", Key: "err.bulk.file.choose"})
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		s.bulkFormError(w, r, portal.FieldE("file", "err.bulk.file.choose"))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		s.bulkFormError(w, r, portal.FieldE("file", "err.bulk.file.unreadable"))
		return
	}
	s.bulkPreview(w, r, string(data))
}

func (s *Server) bulkFormError(w http.ResponseWriter, r *http.Request, err error) {
	s.render(w, r, statusOf(err), web.BulkUploadPage(web.BulkUploadView{Page: s.page(r, web.T(r.Context(), "bulk.title")), Errors: formErrors(err)}))
}

func (s *Server) bulkPreview(w http.ResponseWriter, r *http.Request, data string) {
	if s.Bulk == nil {
		s.bulkFormError(w, r, portal.E(portal.EUNAVAILABLE, "bulk.error.unavailable"))
		return
	}
	good, bad, err := s.Bulk.Check(r.Context(), data)
	if err != nil {
		s.bulkFormError(w, r, err)
		return
	}
	v := web.BulkPreviewView{Page: s.page(r, web.T(r.Context(), "bulk.preview.title")), CSV: data}
	for _, it := range good {
		deadline := web.Date(it.Deadline)
		if it.Deadline.IsZero() {
			deadline = web.T(r.Context(), "bulk.deadline.default", web.Date(s.Now().Add(s.Onboarding.DefaultDeadline())))
		}
		v.Good = append(v.Good, web.BulkRow{Line: it.Row, UserName: it.UserName, DisplayName: it.DisplayName, Email: it.Email, Deadline: deadline})
	}
	for _, p := range bad {
		v.Bad = append(v.Bad, web.BulkRow{Line: p.Row, UserName: p.UserName, Message: web.ErrorText(r.Context(), p.Err)})
	}
	status := http.StatusOK
	if len(good) == 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, web.BulkPreviewPage(v))
}

// bulkStart re-checks the CSV the preview sent back and enqueues a job for
// its good rows (a row that became bad meanwhile is skipped again).
func (s *Server) bulkStart(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.fail(w, r, portal.E(portal.EUNAVAILABLE, "bulk.error.unavailable"), "")
		return
	}
	j, _, err := s.Bulk.Start(r.Context(), actor(r), r.PostFormValue("csv"))
	if portal.ErrorCode(err) == portal.EINVALID {
		s.bulkFormError(w, r, err)
		return
	}
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	if s.WakeJobs != nil {
		s.WakeJobs()
	}
	http.Redirect(w, r, string(web.BulkJobPath(j.ID)), http.StatusSeeOther)
}

// bulkJob loads the progress of the job named in the URL.
func (s *Server) bulkJob(w http.ResponseWriter, r *http.Request) (*jobs.Progress, bool) {
	if s.Bulk == nil {
		s.fail(w, r, portal.E(portal.EUNAVAILABLE, "bulk.error.unavailable"), "")
		return nil, false
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.fail(w, r, portal.E(portal.ENOTFOUND, "err.bulk.nosuch"), web.T(r.Context(), "error.notfound"))
		return nil, false
	}
	p, err := s.Bulk.Progress(r.Context(), id)
	if err != nil {
		s.fail(w, r, err, "")
		return nil, false
	}
	return p, true
}

func running(p *jobs.Progress) bool {
	return p.Job.State == store.JobQueued || p.Job.State == store.JobRunning
}

// bulkProgress shows a job's progress and per-row outcome. htmx's poll of a
// running job gets the progress box only; once the job has ended it is told
// to reload the page, which then shows each row's outcome.
func (s *Server) bulkProgress(w http.ResponseWriter, r *http.Request) {
	p, ok := s.bulkJob(w, r)
	if !ok {
		return
	}
	v := web.BulkProgressView{Page: s.page(r, web.T(r.Context(), "bulk.progress.title")), JobID: p.Job.ID, Total: p.Total,
		Done: p.Done, Failed: p.Failed, Finished: p.Finished, Percent: p.Percent(), Running: running(p), InvitesAvailable: p.InvitesAvailable}
	if isHTMX(r) {
		if !v.Running {
			w.Header().Set("HX-Refresh", "true")
			w.WriteHeader(http.StatusOK)
			return
		}
		s.render(w, r, http.StatusOK, web.BulkProgressBox(v))
		return
	}
	for _, it := range p.Items {
		v.Rows = append(v.Rows, web.BulkRow{Line: it.Row, UserName: it.UserName, Status: it.Status, Message: web.Stored(r.Context(), it.Text, it.Message)})
	}
	s.render(w, r, http.StatusOK, web.BulkProgressPage(v))
}

// bulkResult downloads the result CSV; its invite links are deleted from
// the server as it is sent.
func (s *Server) bulkResult(w http.ResponseWriter, r *http.Request) {
	p, ok := s.bulkJob(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := s.Bulk.WriteResult(r.Context(), actor(r), &buf, p.Job.ID); err != nil {
		s.fail(w, r, err, "")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="gatehouse-bulk-`+strconv.FormatInt(p.Job.ID, 10)+`.csv"`)
	w.Write(buf.Bytes())
}
