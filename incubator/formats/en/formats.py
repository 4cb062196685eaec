# Times with their zone's abbreviation (KST, CST): see incubator/formats/__init__.py.
DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
# A short date as the times are written: "01/02/2026" is the 2nd of January in the United
# States and the 1st of February nearly everywhere else, Korea and China included.
SHORT_DATE_FORMAT = "Y-m-d"
