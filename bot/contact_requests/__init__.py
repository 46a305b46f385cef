"""Contact requests (yhteydenottopyynnöt): what a citizen asks service guidance to call about."""
