"""Pages per colleague and per team: their stories, kudos and features (recognition,
never a ranking)."""
