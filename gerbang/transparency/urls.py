from django.urls import path

from gerbang.transparency import views

app_name = "transparency"

urlpatterns = [
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/grafik/<slug:key>.svg", views.chart, name="chart"),
    path("statistik/data.csv", views.data_csv, name="data_csv"),
    path("statistik/data.json", views.data_json, name="data_json"),
    path("statistik/katalog.jsonld", views.catalogue, name="catalogue"),
    path("statistik/kamus-data/", views.dictionary, name="dictionary"),
    path("statistik/rilis/", views.releases, name="releases"),
    path("statistik/rilis/<slug:period>/v<int:version>.csv", views.release_csv, name="release_csv"),
    path("statistik/laporan/<slug:period>/", views.report, name="report"),
    path("statistik/laporan/<slug:period>.pdf", views.report_pdf, name="report_pdf"),
    path("statistik/datapackage.json", views.data_package, name="data_package"),
    path("statistik/metadata-sdi.json", views.sdi_metadata, name="sdi_metadata"),
]
