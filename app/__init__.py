"""The people's side: CLI and Gradio chat. No retrieval logic lives here."""
