package commands

// handlers maps each manifest command to its handler.
func handlers() map[string]Handler {
	return map[string]Handler{
		"gpt-send-message":              sendMessage,
		"gpt-create-response":           createResponse,
		"gpt-list-models":               listModels,
		"gpt-create-moderation":         createModeration,
		"gpt-check-email-header":        analyzeEmail(partHeader, viaChat),
		"gpt-check-email-body":          analyzeEmail(partBody, viaChat),
		"gpt-analyze-email-header":      analyzeEmail(partHeader, viaResponses),
		"gpt-analyze-email-body":        analyzeEmail(partBody, viaResponses),
		"gpt-create-soc-email-template": createSOCEmailTemplate,
		"gpt-draft-soc-email":           draftSOCEmail,
		"openai-get-events":             getEvents,
	}
}
