package fakeopenai

// eventRoutes registers the Admin audit log and ChatGPT Compliance endpoints,
// and the blob host's signed file downloads. It also seeds their data: the
// tables are compact (a timestamp per audit entry, a descriptor per log
// file) and every record is rendered from the seed when asked for.
func (s *Server) eventRoutes() {
	s.gen = newGenerator(s.cfg.Seed, s.cfg.WorkspaceID, s.cfg.Now(), s.cfg.AuditEvents, s.cfg.ComplianceEvents, s.cfg.RecordsPerFile)
	s.handle("GET /v1/organization/audit_logs", "audit_logs", keyAdmin, s.auditLogs)
	s.handle("GET /v1/compliance/workspaces/{workspace_id}/logs", "compliance.logs", keyCompliance, s.complianceLogs)
	s.handle("GET /v1/compliance/workspaces/{workspace_id}/logs/{log_file_id}", "compliance.file", keyCompliance, s.complianceFile)
	s.blob.HandleFunc("GET /compliance-files/{id}", s.blobFile)
}

// AuditEventIDs returns the id of every seeded audit log entry, newest first.
func (s *Server) AuditEventIDs() []string { return s.gen.auditIDs() }

// ComplianceEventIDs returns the event_id of every seeded compliance record,
// each once, although some are delivered twice (in two files).
func (s *Server) ComplianceEventIDs() []string { return s.gen.complianceIDs() }

// ComplianceFiles returns how many compliance log files are listed.
func (s *Server) ComplianceFiles() int { return len(s.gen.files) }
