from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.library, name="library"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/highlights/", views.highlight_create, name="highlight-create"),
    path("highlights/<int:pk>/colour/", views.highlight_recolour, name="highlight-recolour"),
    path("highlights/<int:pk>/delete/", views.highlight_delete, name="highlight-delete"),
]
