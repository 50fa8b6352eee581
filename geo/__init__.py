"""Place names -> coordinates: curated gazetteer, offline GeoNames fallback, opt-in geocoder."""
from .gazetteer import Gazetteer, default_gazetteer
from .place import Place, Resolution

__all__ = ["Gazetteer", "Place", "Resolution", "default_gazetteer"]
