"""The live operations map (一屏纵览): folium/Leaflet page in QtWebEngine, fed by deltas."""
