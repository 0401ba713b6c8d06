"""Paths of the platform-export fixtures: one bilingual brand, as each platform hands it over."""

from pathlib import Path

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"
X_ARCHIVE = EXPORTS / "x-archive"
TWEETS_JS = X_ARCHIVE / "data" / "tweets.js"
FACEBOOK_POSTS = EXPORTS / "facebook" / "your_facebook_activity" / "posts" / "your_posts_1.json"
INSTAGRAM_POSTS = EXPORTS / "instagram" / "your_instagram_activity" / "content" / "posts_1.json"
LINKEDIN_SHARES = EXPORTS / "linkedin" / "Shares.csv"
WORDPRESS = EXPORTS / "blog" / "maisonclaire.WordPress.2025-04-30.xml"
WEBSITE = EXPORTS / "website"
#: One source per channel, as `fit` and `report` are given them.
ALL_SOURCES = [X_ARCHIVE, FACEBOOK_POSTS, INSTAGRAM_POSTS, LINKEDIN_SHARES, WORDPRESS, WEBSITE]
