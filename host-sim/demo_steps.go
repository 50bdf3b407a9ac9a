package main

// demoStep is one step of the demo: a title and a line for the
// interpreter (a war-room command or a host verb; see replHelp).
type demoStep struct {
	title string
	line  string
}

// demoSteps is the tour, in order. {{file}} is the entry id of the last
// file added and {{dir}} the demo's state directory, where the bundled
// sample email is written. Extend the tour here.
func demoSteps() []demoStep {
	return []demoStep{
		{"Test the instance", "test"},
		{"List the models", `!gpt-list-models`},
		{"Ask a question", `!gpt-send-message message="What are the first three things to check when a user reports a suspicious email?"`},
		{"Follow up: the conversation is kept in the incident context", `!gpt-send-message message="Turn the second one into a one-line checklist item."`},
		{"Ask through the Responses API", `!gpt-create-response message="In one sentence each: what do SPF, DKIM and DMARC prove?"`},
		{"Moderate two texts", `!gpt-create-moderation text="I will find you and make you pay,Thanks for the quick fix yesterday"`},
		{"A user reports an email: add it as a file entry", "file add {{dir}}/" + demoEmailName},
		{"Analyse the email body", `!gpt-analyze-email-body entry_id={{file}}`},
		{"Draft the email to the user", `!gpt-draft-soc-email additional_instructions="Tell the user it was quarantined."`},
		{"Check the email headers", `!gpt-check-email-header entryId={{file}}`},
		{"Create a SOC email template from that conversation", `!gpt-create-soc-email-template`},
		{"Fetch events once", "fetch"},
		{"What landed in the audit dataset", "events openai_chatgpt_audit_raw 5"},
		{"What landed in the compliance dataset", "events openai_chatgpt_compliance_raw 5"},
	}
}
