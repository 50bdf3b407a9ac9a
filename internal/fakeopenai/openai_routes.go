package fakeopenai

// openAIRoutes registers the model endpoints: /v1/models, chat completions,
// responses, moderations.
func (s *Server) openAIRoutes() {
}
