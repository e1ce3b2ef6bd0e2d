"""The same claims in several languages, shared by the clustering tests."""

SMS_EN = "You can vote by SMS by sending your ID number to 40404."
SMS_FR = "Vous pouvez voter par SMS en envoyant votre numéro d'identité au 40404"
SMS_PT = "Pode votar por SMS enviando o seu número de identificação para 40404."
RESIGNED_EN = "The chairman of the electoral commission has resigned."
RESIGNED_AR = "استقال رئيس اللجنة الانتخابية."  # four words: a short text
INK = "The ink on your finger can be washed off with vinegar, so people vote twice."
