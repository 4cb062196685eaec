# Times with their zone's abbreviation (KST, CST): see incubator/formats/__init__.py.
DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
