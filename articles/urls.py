from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.library, name="library"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
]
