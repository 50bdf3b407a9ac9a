package fakeopenai

// eventRoutes registers the Admin audit log and ChatGPT Compliance endpoints,
// and the blob host's signed file downloads.
func (s *Server) eventRoutes() {
}
