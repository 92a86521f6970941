import { useState } from 'preact/hooks';
import { Problem, Select } from '../shared/form.js';

export interface Place {
  lat: number;
  lon: number;
}

/**
 * "Near me": the browser is asked for the position only when the person presses the button (their
 * consent), and it is used for this search only, never sent anywhere but the doctor search.
 */
export function NearMe(props: {
  place: Place | undefined;
  onPlace: (p: Place | undefined) => void;
  radiusKm: string;
  onRadius: (v: string) => void;
}) {
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setState({ error: 'This browser cannot tell where you are.' });
      return;
    }
    setState({ busy: true });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setState({});
        props.onPlace({ lat: pos.coords.latitude, lon: pos.coords.longitude });
      },
      (err) =>
        setState({
          error:
            err.code === err.PERMISSION_DENIED
              ? 'You did not allow your location, so doctors are not sorted by distance.'
              : 'Your location is not available right now.',
        }),
      { maximumAge: 600_000, timeout: 15_000 },
    );
  };
  return (
    <div class="near">
      {props.place ? (
        <>
          <Select label="Distance" value={props.radiusKm} onChange={props.onRadius}>
            <option value="">Any distance</option>
            {['5', '10', '25', '50', '100'].map((km) => (
              <option key={km} value={km}>
                Within {km} km
              </option>
            ))}
          </Select>
          <button type="button" class="secondary" onClick={() => props.onPlace(undefined)}>
            Stop using my location
          </button>
        </>
      ) : (
        <button type="button" class="secondary" onClick={locate} disabled={state.busy}>
          {state.busy ? 'Finding you…' : 'Near me'}
        </button>
      )}
      <Problem error={state.error} />
    </div>
  );
}
