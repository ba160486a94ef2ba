from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    # Agreement register (issue 4)
    # Council seats (issue 5)
    # Briefings (issue 6)
]
