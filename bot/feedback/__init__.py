"""Citizens' feedback on the assistant's answers: "Oliko vastauksesta apua?" (``ratings``)."""
