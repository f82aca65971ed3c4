"""The hall simulator: a whole hall day, discrete-event, through the production routing rule
(`domain/routing.py`) and wait estimate (`domain/estimate.py`), imported unchanged.

`model` holds the plain values, `demand` reads the demand file and draws the day's arrivals,
`engine` runs one policy, `metrics` turns a run into figures, `policies` builds the policies compared,
`history` turns a business day's real tickets into arrivals (the managers' "what if").
"""
